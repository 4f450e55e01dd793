"""The invariants of a group's life, as functions over the world: each returns the violations it finds."""

from __future__ import annotations

from collections import Counter

from chalicelib.release.lifecycle_changes import wanted
from chalicelib.release.state import GroupState, HistoryRow
from chalicelib.shared.decision_record import OUTCOME_KEY
from chalicelib.shared.model_version import APPROVED, PENDING, REJECTED
from tests.model.world import GROUP, PRODUCTION, STAGING, World, config_version

ATTEMPT_OUTCOMES = frozenset({"LIVE", "FAILED", "ROLLED_BACK", "STOPPED", "EXPIRED"})
DROPPED_FROM_QUEUE = "Rejected while it waited"
SUPERSEDED_WAITING = "awaited promotion"  # a release superseded while it awaited promotion: an attempt
SUPERSEDED_TESTED = "smoke tests passed;"  # superseded as its smoke tests passed (a newer one queued): an attempt
NOT_AN_END = frozenset({"release.live", "release.awaiting_promotion", "release.promotion_reminder", "release.promoted"})


def state(world: World) -> GroupState:
    return world.store.load(GROUP)


def attempts(world: World) -> Counter[int]:
    """Release attempts per version: history rows of releases (not rollbacks, not superseded waits)."""
    keys = {row.key: row.version for row in _rows(world) if _is_attempt(row)}
    release = state(world).release
    if release is not None:
        keys[release.key] = release.version
    return Counter(keys.values())


def _rows(world: World) -> list[HistoryRow]:
    return list(world.store.rows.values())


def _is_attempt(row: HistoryRow) -> bool:
    dropped = row.reason == DROPPED_FROM_QUEUE  # a queued version Rejected before it started
    ran = row.reason.endswith(SUPERSEDED_WAITING) or row.reason.startswith(SUPERSEDED_TESTED)
    superseded = row.outcome == "SUPERSEDED" and ran
    return (row.outcome in ATTEMPT_OUTCOMES or superseded) and not row.key.endswith("#rollback") and not dropped


def illegal_deploy(world: World, endpoint: str, config: str) -> str | None:
    """Called before each accepted Create/UpdateEndpoint: only the release in flight, or a return to live."""
    now = state(world)
    release = now.release
    if endpoint == STAGING:
        if release and release.in_flight and release.stage.value == "STAGING" and config == release.staging_config:
            return None
    elif endpoint == PRODUCTION:
        if release and release.stage.value == "PRODUCTION" and config == release.production_config:
            return None
        if now.live and config == now.live.config:
            return None
    return (
        f"deploy of {config} to {endpoint} while the store says {release and release.label} {release and release.stage}"
    )


def notification_counts(world: World) -> tuple[Counter[int], Counter[int]]:
    """(release.live, release.failed or rolled_back) notifications per version, from the release engine."""
    live: Counter[int] = Counter()
    ended: Counter[int] = Counter()
    for sent in world.notifier.sent:
        if "stage" not in sent.body or not sent.kind.startswith("release."):
            continue  # a manual rollback's notice, a gate or cleanup message
        if sent.kind == "release.live":
            live[int(sent.body["version"])] += 1
        elif sent.kind not in NOT_AN_END:
            ended[int(sent.body["version"])] += 1
    return live, ended


def over_notified(world: World) -> list[str]:
    tried = attempts(world)
    live, ended = notification_counts(world)
    found = [f"v{v}: {n} LIVE notifications for {tried[v]} attempts" for v, n in live.items() if n > tried[v]]
    found += [f"v{v}: {n} end notifications for {tried[v]} attempts" for v, n in ended.items() if n > tried[v]]
    return found


def released_twice(world: World) -> list[str]:
    return [f"v{v} was released {n} times" for v, n in attempts(world).items() if n > 1]


def cleanup_violation(world: World, arn: str) -> str | None:
    """Called before each delete the cleanup makes."""
    version = world.registry.versions.get(arn)
    if version is None:
        return None
    now = state(world)
    why = []
    if version.status != REJECTED:
        why.append(f"status {version.status}")
    if arn in now.arns():
        why.append("live, a rollback target, in flight or queued")
    if config_version(_config(world)) == version.version:
        why.append("production serves it")
    return f"cleanup deleted v{version.version}: {', '.join(why)}" if why else None


def _config(world: World) -> str | None:
    view = world.endpoints.endpoints.get(PRODUCTION)
    return view.config if view else None


def unaccounted_versions(world: World, older_may_vanish: bool = False) -> list[str]:
    """After the world settled: every version decided, released, or visibly waiting for people.

    `older_may_vanish`: an Approved version older than one already released is let go unrecorded (a known
    defect, while it is being fixed)."""
    now = state(world)
    released = {row.arn for row in _rows(world)} | now.arns()
    newest_released = max((row.version for row in _rows(world)), default=0)
    found = []
    for version in world.registry.versions.values():
        if older_may_vanish and version.version < newest_released:
            continue
        if version.status == PENDING and not version.metadata.get(OUTCOME_KEY):
            found.append(f"v{version.version} is Pending and was never decided")
        if version.status == APPROVED and version.arn not in released:
            found.append(f"v{version.version} is Approved but has no release, history row or queue place")
    return found


def unreported_ends(world: World) -> list[str]:
    _, ended = notification_counts(world)
    failed = {row.version for row in _rows(world) if row.outcome == "FAILED" and _is_attempt(row)}
    failed -= {row.version for row in _rows(world) if row.reason.startswith("stopped")}
    return [f"v{v} FAILED and nobody was told" for v in sorted(failed) if not ended[v]]


def reviews_twice(world: World) -> list[str]:
    """A review's reminder, expiry or last reminder told more than once (a replayed or raced tick)."""
    told = Counter(
        (sent.kind, int(sent.body["version"])) for sent in world.notifier.sent if sent.kind.startswith("review.")
    )
    return [f"v{version}: {kind} sent {n} times" for (kind, version), n in told.items() if n > 1]


def lifecycles_behind(world: World) -> list[str]:
    """Versions the group knows whose registry lifecycle (stage and status) is not what the state says,
    and lifecycles still owed: once the world settled, every refused write was written again."""
    now = state(world)
    shown = world.lifecycles.now()
    found = [f"lifecycle of {owed.arn} still owed" for owed in now.lifecycles_owed]
    for arn, lifecycle in wanted(now).items():
        seen = shown.get(arn)
        if seen is None or (seen.stage, seen.status) != (lifecycle.stage, lifecycle.status):
            found.append(f"{arn}: registry shows {seen}, the release state says {lifecycle}")
    return found
