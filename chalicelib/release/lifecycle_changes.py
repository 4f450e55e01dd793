"""Which versions' lifecycles a change of the group's state moves: what the registry should say, before and after.

Pure: the release engine writes only the difference, so a step that changes no version's place costs no call.
"""

from __future__ import annotations

from chalicelib.release.lifecycle import archived, of_release, rolled_away, serving
from chalicelib.release.state import SERVING, GroupState, LifeCycle


def wanted(state: GroupState) -> dict[str, LifeCycle]:
    """ARN -> the lifecycle the registry should show, for the versions the state knows: the earlier good
    ones (Archived), the release's (its stage), the live one (Production)."""
    found: dict[str, LifeCycle] = {}
    replacers = [state.live.version if state.live else None, *(kept.version for kept in state.good)]
    for kept, replacer in zip(state.good, replacers, strict=False):
        found[kept.arn] = archived(replacer)
    release, live = state.release, state.live
    if release is not None:
        serves = live is not None and live.arn == release.arn
        if release.stage in SERVING and not serves:  # production went back from it to another version
            found[release.arn] = rolled_away(live.version if live else None)
        else:
            found[release.arn] = of_release(release)
    if live is not None and not (release is not None and release.arn == live.arn and release.stage in SERVING):
        found[live.arn] = serving(live)
    return found


def changes(before: GroupState, after: GroupState) -> dict[str, LifeCycle]:
    """The lifecycles `after` moved (each ARN once). A version that served production before and that
    `after` no longer knows at all was rolled back from (a new live version keeps it as a good one)."""
    old, new = wanted(before), wanted(after)
    moved = {arn: lifecycle for arn, lifecycle in new.items() if old.get(arn) != lifecycle}
    left = before.live
    if left is not None and left.arn not in new:
        moved[left.arn] = rolled_away(after.live.version if after.live else None)
    return moved
