"""Which versions' lifecycles a change of the group's state moves: what the registry should say, before and after.

Pure: the release engine writes only the difference, so a step that changes no version's place costs no call.
"""

from __future__ import annotations

from chalicelib.release.lifecycle import archived, of_release, rolled_away, serving
from chalicelib.release.state import SERVING, Deployed, GroupState, LifeCycle, Release, Stage


def wanted(state: GroupState) -> dict[str, LifeCycle]:
    """ARN -> the lifecycle the registry should show, for the versions the state knows: the earlier good
    ones (Archived), the release's (its stage), the live one (Production)."""
    replacers = [state.live.version if state.live else None, *(kept.version for kept in state.good)]
    found = {kept.arn: archived(replacer) for kept, replacer in zip(state.good, replacers, strict=False)}
    release, live = state.release, state.live
    if release is not None:
        found[release.arn] = _of_release(release, live)
    if live is not None and not _tells_live(release, live):
        found[live.arn] = serving(live)
    return found


def _of_release(release: Release, live: Deployed | None) -> LifeCycle:
    if release.stage in SERVING and (live is None or live.arn != release.arn):
        return rolled_away(live.version if live else None)  # production went back from it to another version
    return of_release(release)


def _tells_live(release: Release | None, live: Deployed) -> bool:
    """The live version's own release says more while it goes on (WATCHING, PAUSED in its watch window) or
    ended well; after it ended otherwise (rolled back, then made live again by a person) the version serves."""
    return release is not None and release.arn == live.arn and (release.in_flight or release.stage is Stage.LIVE)


def changes(before: GroupState, after: GroupState) -> dict[str, LifeCycle]:
    """The lifecycles `after` moved (each ARN once). A version that served production before and that
    `after` no longer knows at all was rolled back from (a new live version keeps it as a good one)."""
    old, new = wanted(before), wanted(after)
    moved = {arn: lifecycle for arn, lifecycle in new.items() if old.get(arn) != lifecycle}
    left = before.live
    if left is not None and left.arn not in new:
        moved[left.arn] = rolled_away(after.live.version if after.live else None)
    return moved
