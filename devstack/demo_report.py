"""The story's last picture: `shepherd report` writes the group's page, and the local stack serves it live.

The page goes to SHEPHERD_DEMO_REPORT (default build/demo-report.html, beside the other build output).
"""

from __future__ import annotations

import os
import urllib.parse
import urllib.request
from pathlib import Path

from devstack.demo_steps import GROUP, StepFailed, Story

DEFAULT_PATH = Path("build") / "demo-report.html"


def report_path() -> Path:
    return Path(os.environ.get("SHEPHERD_DEMO_REPORT", "").strip() or DEFAULT_PATH)


def the_report(story: Story) -> None:
    path = report_path()
    code = story.cli(["report", GROUP, "--html", str(path)])
    if code != 0 or not path.is_file():
        raise StepFailed(f"shepherd report exited {code}")
    url = f"{story.app_url}/report/{urllib.parse.quote(GROUP)}"
    try:
        with urllib.request.urlopen(url, timeout=10) as answer:
            live = answer.read().decode("utf-8")
    except OSError as error:
        raise StepFailed(f"the live report at {url}: {error}") from None
    if f"<h1>{GROUP}</h1>" not in live:
        raise StepFailed(f"the live report at {url} does not show {GROUP}")
    story.say(f"the group's life on one page: {path} (open it in a browser); live at {url}")
