"""How a group's release attempts ended, read from its history: the ones that cannot start again by themselves."""

from __future__ import annotations

from chalicelib.release.deps import ReleaseDeps
from chalicelib.release.group import ATTEMPT_ENDED
from chalicelib.release.state import Stage

ENDED = frozenset(stage.value for stage in ATTEMPT_ENDED)
ATTEMPT_ENDS = ENDED | {Stage.LIVE.value, "ROLLBACK"}  # not a person's RETRY, PROMOTED or CONTINUED row


def ended_attempts(group: str, deps: ReleaseDeps) -> dict[str, str]:
    """ARN -> how its last recorded attempt ended, for the attempts that cannot start again by themselves."""
    rows = sorted(deps.store.history(group), key=lambda row: row.key)
    last = {row.arn: row.outcome for row in rows if row.outcome in ATTEMPT_ENDS}
    return {arn: outcome for arn, outcome in last.items() if outcome in ENDED}
