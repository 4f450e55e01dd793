"""Each version's role in `status`, from the release engine's record: LIVE, in flight, queued, rollback target."""

from __future__ import annotations

from chalicelib.bootstrap import Container
from chalicelib.release.state import GroupState, Stage
from shepherd_cli.last_release import FAILED_ROLE


def engine_state(container: Container, group: str) -> GroupState | None:
    """The release engine's record of the group, where one is kept."""
    store = getattr(container, "release_store", None)
    if store is None or not container.settings.state_table:
        return None
    state: GroupState = store.load(group)
    return state


def release_roles(state: GroupState | None, live: str | None) -> dict[str, str]:
    """arn -> role, from the release engine's record of the group."""
    roles = {live: "LIVE"} if live else {}
    if state is None:
        return roles
    for deployed in state.good:
        roles.setdefault(deployed.arn, "rollback target")
    if state.queued:
        roles[state.queued.arn] = "queued"
    if state.release is not None and state.release.in_flight:
        # LIVE inside its watch window serves production: the header says until when it is watched
        roles[state.release.arn] = "LIVE" if state.release.stage is Stage.WATCHING else state.release.stage.value
    elif state.release is not None and state.release.stage is Stage.FAILED:
        roles.setdefault(state.release.arn, FAILED_ROLE)
    return roles
