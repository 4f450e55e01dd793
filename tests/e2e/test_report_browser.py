"""The report page from the demo's story, drawn by a real browser (Debian's headless chromium).

The demo tells its story on the local stack (the same steps as `make demo`) and ends by writing the page
with `shepherd report` and fetching it live from /report/<group>. Chromium then renders the file: the
DOM it builds says what a reader sees, its log says whether anything failed, and its screenshot is kept
in build/test-artifacts/ (the one in docs/img/ is a copy of it).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from devstack import seed
from devstack.servers import free_port

pytestmark = pytest.mark.e2e
CHROMIUM = Path("/usr/bin/chromium")
PROJECT = Path(__file__).resolve().parents[2]
ARTIFACTS = PROJECT / "build" / "test-artifacts"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--enable-logging=stderr",
    "--v=0",
    "--window-size=1280,1500",
]


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    assert CHROMIUM.is_file(), "chromium is missing: `make chromium` (part of `make test`) installs it"
    path = tmp_path_factory.mktemp("report") / "report.html"
    environment = {
        **os.environ,
        "SHEPHERD_LOCAL_AWS_PORT": str(free_port()),
        "SHEPHERD_LOCAL_APP_PORT": str(free_port()),
        "SHEPHERD_DEMO_REPORT": str(path),
    }
    demo = subprocess.run(
        [str(PROJECT / ".venv" / "bin" / "python"), "-m", "devstack.demo"],
        cwd=PROJECT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )
    assert demo.returncode == 0, demo.stdout[-4000:] + demo.stderr[-4000:]
    assert "the group's life on one page" in demo.stdout and "/report/" in demo.stdout  # served live too
    return path


def chromium(page: Path, profile: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(CHROMIUM), *FLAGS, f"--user-data-dir={profile}", *extra, page.as_uri()],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_the_browser_draws_the_demo_groups_life(report: Path, tmp_path: Path) -> None:
    drawn = chromium(report, tmp_path / "profile", "--dump-dom")
    assert drawn.returncode == 0, drawn.stderr[-3000:]
    dom = drawn.stdout
    assert f"<h1>{seed.GROUP}</h1>" in dom
    assert "LIVE: <strong>v7</strong>" in dom  # the manual rollback put the good version back
    # The production timeline: the good version, the borderline one approved in Slack, the canary rolled back.
    for seen in ("U024BE7LH", "ROLLED_BACK", "ROLLBACK", "model-shepherd gate"):
        assert seen in dom, seen
    assert len(re.findall(r'<rect class="served', dom)) >= 2
    assert dom.count('<svg class="chart"') >= 3 and "floor &gt;= 0.8" in dom and "bar &gt;= 0.9" in dom
    assert not re.search(r"CONSOLE|Uncaught|ERR_", drawn.stderr), drawn.stderr[-3000:]


def test_the_screenshot_is_kept_as_an_artifact(report: Path, tmp_path: Path) -> None:
    shot = tmp_path / "report.png"
    taken = chromium(report, tmp_path / "profile", f"--screenshot={shot}")
    assert taken.returncode == 0 and shot.is_file(), taken.stderr[-3000:]
    png = shot.read_bytes()
    assert png.startswith(b"\x89PNG") and len(png) > 20_000  # a drawn page, not a blank one
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    shutil.copy(shot, ARTIFACTS / "report.png")
    shutil.copy(report, ARTIFACTS / "report.html")
