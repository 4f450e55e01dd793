"""Build the deployment package: `python -m infra.package --stage prod build/package`.

Two passes of `chalice package`: the first shows which functions the app has; the merge template is
derived from it (infra/template.py) and the second pass merges it in. No AWS credentials needed.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from infra.iam import release_targets
from infra.names import PROJECT, load_config, stage_names
from infra.template import render

CHALICE = Path(sys.executable).parent / "chalice"


def build(stage: str, out_dir: Path, project: Path = PROJECT) -> Path:
    """Package `stage` into out_dir (sam.json + deployment.zip); returns the merge template it used."""
    sync_policies(project)
    with tempfile.TemporaryDirectory(prefix="chalice-base-") as base_dir:
        _chalice_package(project, stage, Path(base_dir))
        base = json.loads((Path(base_dir) / "sam.json").read_text())
    accounts = release_targets(project / "policies").stage_accounts
    merge = render(base, stage_names(load_config(project / ".chalice" / "config.json"), stage), stage_accounts=accounts)
    out_dir = out_dir.resolve()
    merge_path = out_dir.parent / f"merge-{stage}.json"
    merge_path.parent.mkdir(parents=True, exist_ok=True)
    merge_path.write_text(json.dumps(merge, indent=2) + "\n")
    shutil.rmtree(out_dir, ignore_errors=True)
    _chalice_package(project, stage, out_dir, merge_path)
    return merge_path


def sync_policies(project: Path) -> None:
    """Chalice packages only app.py, chalicelib/ and vendor/: the policies travel inside chalicelib/."""
    target = project / "chalicelib" / "policies"
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(project / "policies", target)


def _chalice_package(project: Path, stage: str, out_dir: Path, merge: Path | None = None) -> None:
    command = [str(CHALICE), "package", "--stage", stage]
    if merge is not None:
        command += ["--merge-template", str(merge)]
    env = {**os.environ, "AWS_DEFAULT_REGION": os.environ.get("AWS_DEFAULT_REGION", "us-east-1")}
    done = subprocess.run([*command, str(out_dir)], cwd=project, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"chalice package failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m infra.package", description=__doc__.splitlines()[0])
    parser.add_argument("--stage", default="prod")
    parser.add_argument("out_dir", type=Path, nargs="?", default=Path("build/package"))
    args = parser.parse_args(argv)
    merge = build(args.stage, args.out_dir)
    print(f"packaged stage {args.stage} into {args.out_dir} (merged {merge})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
