"""The fake Slack's modals: trigger_ids handed out with clicks, views.open checked as Slack checks it, and a
person submitting a modal (a signed `view_submission`), kept open when the app answers with errors."""

from __future__ import annotations

import itertools
import json
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

TRIGGER_SECONDS = 3.0  # Slack: a trigger_id opens a modal within 3 s of the click, once
TITLE_LIMIT, METADATA_LIMIT, CALLBACK_LIMIT, BLOCKS_LIMIT = 24, 3000, 255, 100


@dataclass
class View:
    id: str
    user_id: str
    view: dict[str, Any]
    open: bool = True
    errors: dict[str, str] = field(default_factory=dict)  # what the app said under each input, last time


@dataclass
class Views:
    clock: Callable[[], float] = time.monotonic
    opened: list[View] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._lock = threading.Lock()
        self._ids = itertools.count(1)
        self._triggers: dict[str, tuple[str, float]] = {}  # trigger_id -> (user, issued at)

    def trigger(self, user_id: str) -> str:
        with self._lock:
            trigger_id = f"{next(self._ids)}.{int(time.time())}.fake-trigger"
            self._triggers[trigger_id] = (user_id, self.clock())
        return trigger_id

    def open_view(self, fields: Mapping[str, Any]) -> dict[str, Any]:
        """views.open: {"ok": true, "view": ...} or Slack's error for a bad trigger or view."""
        view = fields.get("view")
        view = json.loads(view) if isinstance(view, str) else view
        with self._lock:
            issued = self._triggers.pop(str(fields.get("trigger_id")), None)
        if issued is None:
            return {"ok": False, "error": "invalid_trigger_id"}
        if self.clock() - issued[1] > TRIGGER_SECONDS:
            return {"ok": False, "error": "expired_trigger_id"}
        problem = _invalid(view)
        if problem:
            return {"ok": False, "error": "invalid_arguments", "response_metadata": {"messages": [problem]}}
        assert isinstance(view, dict)
        with self._lock:
            opened = View(f"V{next(self._ids):08d}", issued[0], view)
            self.opened.append(opened)
        return {"ok": True, "view": {"id": opened.id, **view}}

    def find(self, view_id: str | None = None) -> View | None:
        candidates = [view for view in self.opened if view.open and (view_id is None or view.id == view_id)]
        return candidates[-1] if candidates else None


def submission_payload(opened: View, user: Mapping[str, str], team_id: str, app_id: str, text: str) -> dict[str, Any]:
    """What Slack posts when the person types `text` in every text input of `opened` and presses submit."""
    values: dict[str, dict[str, Any]] = {}
    for block in opened.view.get("blocks", []):
        element = block.get("element", {}) if block.get("type") == "input" else {}
        if element.get("type") == "plain_text_input":
            values[block["block_id"]] = {element["action_id"]: {"type": "plain_text_input", "value": text}}
    return {
        "type": "view_submission",
        "team": {"id": team_id, "domain": "fake"},
        "user": {**user, "team_id": team_id},
        "api_app_id": app_id,
        "token": "deprecated-verification-token",
        "trigger_id": f"{int(time.time())}.submit",
        "view": {
            "id": opened.id,
            "type": "modal",
            "callback_id": opened.view.get("callback_id", ""),
            "private_metadata": opened.view.get("private_metadata", ""),
            "state": {"values": values},
        },
    }


def _invalid(view: Any) -> str | None:
    if not isinstance(view, dict) or view.get("type") != "modal":
        return "a view of type modal is required"
    title = view.get("title", {}).get("text", "")
    if not title or len(title) > TITLE_LIMIT:
        return f"title must be 1-{TITLE_LIMIT} characters"
    if len(view.get("private_metadata", "")) > METADATA_LIMIT:
        return f"private_metadata over {METADATA_LIMIT} characters"
    if len(view.get("callback_id", "")) > CALLBACK_LIMIT:
        return f"callback_id over {CALLBACK_LIMIT} characters"
    blocks = view.get("blocks", [])
    if not blocks or len(blocks) > BLOCKS_LIMIT:
        return f"a modal holds 1-{BLOCKS_LIMIT} blocks"
    if any(block.get("type") == "input" for block in blocks) and "submit" not in view:
        return "a modal with inputs needs a submit button"
    return None
