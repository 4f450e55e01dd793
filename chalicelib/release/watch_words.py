"""One wording for a release LIVE inside its watch window, wherever people read it (Slack, CLI, report).

It serves production, so it is not "in flight": alarms can still roll it back until the window ends.
"""

from __future__ import annotations

from datetime import datetime

from chalicelib.release.state import Release, Stage


def watched_until(release: Release | None) -> datetime | None:
    if release is None or release.stage is not Stage.WATCHING:
        return None
    return release.watch_until


def watching_words(until: datetime) -> str:
    return f"watched until {until.strftime('%Y-%m-%d %H:%M UTC')}"
