"""What handling one click came to. The route answers 200 whatever it was: the clicker hears via response_url."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any


class ClickOutcome(StrEnum):
    IGNORED = "ignored"  # not a click on one of our buttons
    REFUSED = "refused"  # the clicker may not act for this group
    DONE = "done"  # decided, or rolled back
    ASKED = "asked"  # a modal asks the clicker why, first (Reject, Roll back, Stop)
    COUNTED = "counted"  # an approval counted; more distinct approvers are needed before anything changes
    NOT_COUNTED = "not-counted"  # an approval that does not count (the registrant's, or who it is is unknown)
    CHANGED_NOTHING = "changed-nothing"  # decided already, gone, held by another click, or refused by the engine
    FAILED = "failed"  # AWS busy or failing: nothing changed, a later click may succeed


@dataclass(frozen=True)
class ClickResult:
    outcome: ClickOutcome
    detail: str = ""  # what was done ("Approved v3"), or why nothing was: as the clicker was told
    response: Mapping[str, Any] | None = None  # what the route answers Slack (a modal's response_action)


IGNORED = ClickResult(ClickOutcome.IGNORED)
