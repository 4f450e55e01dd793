"""What Slack shows for the mrkdwn the app posted, and a hostile text to post: checks that it is escaped once."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

# Pings the channel, pings a user, renders a link: what a person's reason must never do in Slack.
HOSTILE = "<!channel> & <@U1> <https://x|y>"
ESCAPED = "&lt;!channel&gt; &amp; &lt;@U1&gt; &lt;https://x|y&gt;"  # the same, shown as typed

_ENTITIES = {"&amp;": "&", "&lt;": "<", "&gt;": ">"}
_ENTITY = re.compile("|".join(_ENTITIES))


def shown(mrkdwn: str) -> str:
    """Slack's three escapes decoded in one pass, as Slack shows them."""
    return _ENTITY.sub(lambda found: _ENTITIES[found.group(0)], mrkdwn)


def mrkdwn_texts(message: Mapping[str, Any]) -> list[str]:
    """Every text Slack parses as mrkdwn in a posted message: the fallback `text` and the blocks' mrkdwn."""
    return [str(message.get("text", "")), *_mrkdwn_in(message.get("blocks") or [])]


def assert_escaped_once(message: Mapping[str, Any]) -> str:
    """The hostile text is in the message, escaped exactly once, and nowhere raw; returns its mrkdwn, joined."""
    joined = "\n".join(mrkdwn_texts(message))
    assert ESCAPED in joined, joined
    assert "&amp;lt;" not in joined and "&amp;amp;" not in joined, joined  # never escaped twice
    for control in ("<!channel>", "<@U1>", "<https://x|y>"):
        assert control not in joined, joined
    return joined


def _mrkdwn_in(node: Any) -> Iterator[str]:
    if isinstance(node, Mapping):
        if node.get("type") == "mrkdwn" and isinstance(node.get("text"), str):
            yield node["text"]
        for value in node.values():
            yield from _mrkdwn_in(value)
    elif isinstance(node, list):
        for item in node:
            yield from _mrkdwn_in(item)
