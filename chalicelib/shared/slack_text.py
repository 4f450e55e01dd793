"""Text from outside the app (people's reasons, group names, who decided, hook answers, judgements, errors)
put into Slack's mrkdwn so that it shows as typed: it can neither ping (`<!channel>`, `<@U…>`) nor link
(`<https://…|…>`).

Slack asks apps to escape `&`, `<` and `>` in text from users; those three are all a control sequence is made
of. Formatting characters (`*`, `_`, `~`, backticks) are left as typed: they change how words look, never who
is told or where a click goes, and Slack has no escape for them (a zero-width space would change the text).

The message builders call these where they turn plain text into mrkdwn, once per piece: what they return
is mrkdwn and is never escaped again. The app's own links and mentions are made here, on purpose.
"""

from __future__ import annotations

import re
from typing import Any

_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})
_SLACK_USER_ID = re.compile(r"[UW][A-Z0-9]{2,20}")  # what Slack's signed payloads carry as user.id
MAX_SECTION = 3000  # Slack's limit on a section's (and a context element's) text


def escape(text: str) -> str:
    """Plain text as mrkdwn that shows it unchanged."""
    return text.translate(_ESCAPES)


def mention(user_id: str) -> str:
    """`<@U…>` for a Slack user id as Slack's payloads carry it; anything else is shown as text, never pings."""
    return f"<@{user_id}>" if _SLACK_USER_ID.fullmatch(user_id) else escape(user_id)


def link(url: str, label: str) -> str:
    """The app's own link (a console URL it built) with a label shown as text."""
    return f"<{escape(url).replace('|', '%7C')}|{escape(label)}>"


def clip(mrkdwn: str, limit: int = MAX_SECTION) -> str:
    """At most `limit` characters, never ending inside an escape (`&am` would show as typed)."""
    if len(mrkdwn) <= limit:
        return mrkdwn
    kept = mrkdwn[:limit]
    started = kept.rfind("&", limit - 4)  # escapes are the only `&` in mrkdwn made here, each at most 5 long
    return kept[:started] if started >= 0 and ";" not in kept[started:] else kept


def section(mrkdwn: str) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": clip(mrkdwn)}}


def context(mrkdwn: str, **fields: Any) -> dict[str, Any]:
    return {"type": "context", **fields, "elements": [{"type": "mrkdwn", "text": clip(mrkdwn)}]}
