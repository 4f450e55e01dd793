"""What handling one click came to. The route answers 200 whatever it was: the clicker hears via response_url."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class ClickOutcome(StrEnum):
    IGNORED = "ignored"  # not a click on one of our buttons
    REFUSED = "refused"  # the clicker may not act for this group
    DONE = "done"  # decided, or rolled back
    CHANGED_NOTHING = "changed-nothing"  # decided already, gone, held by another click, or refused by the engine
    FAILED = "failed"  # AWS busy or failing: nothing changed, a later click may succeed


@dataclass(frozen=True)
class ClickResult:
    outcome: ClickOutcome
    detail: str = ""  # what was done ("Approved v3"), or why nothing was: as the clicker was told


IGNORED = ClickResult(ClickOutcome.IGNORED)
