"""Deployment zip size: `python -m bench.package_size`. Budget 3 MB (the runtime provides boto3).

Builds the prod package and prints its size against the budget, with the app's own code as the
baseline from the same run and the biggest contributors (compressed bytes per top-level entry).
"""

from __future__ import annotations

import tempfile
import zipfile
from collections import Counter
from pathlib import Path

BUDGET_BYTES = 3 * 1024 * 1024
APP_CODE = ("app.py", "chalicelib")


def contributors(zip_path: Path) -> Counter[str]:
    sizes: Counter[str] = Counter()
    with zipfile.ZipFile(zip_path) as archive:
        for info in archive.infolist():
            top = info.filename.split("/", 1)[0]
            top = top.split("-", 1)[0] if top.endswith((".dist-info", ".data")) else top
            sizes[top] += info.compress_size
    return sizes


def main() -> None:
    from infra.package import build

    with tempfile.TemporaryDirectory(prefix="bench-package-") as out:
        package = Path(out) / "package"
        build("prod", package)
        zip_path = package / "deployment.zip"
        total = zip_path.stat().st_size
        sizes = contributors(zip_path)
    own = sum(sizes[name] for name in APP_CODE)
    print(f"deployment.zip           {total / 1024:9.1f} KiB  ({total / BUDGET_BYTES:.0%} of the 3 MiB budget)")
    print(f"baseline: app code only  {own / 1024:9.1f} KiB  (app.py + chalicelib, policies included)")
    print(f"dependencies             {(total - own) / 1024:9.1f} KiB")
    for name, size in sizes.most_common(8):
        print(f"  {name:<22} {size / 1024:9.1f} KiB")
    print("within budget" if total < BUDGET_BYTES else "OVER BUDGET")


if __name__ == "__main__":
    main()
