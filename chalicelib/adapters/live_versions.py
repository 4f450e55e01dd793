"""LiveVersions and ProtectedVersions from the release store: what serves, and what may be needed again."""

from __future__ import annotations

from chalicelib.release.ports import ReleaseStore
from chalicelib.shared.ports import KnownChampion


class ReleasedVersions:
    def __init__(self, store: ReleaseStore) -> None:
        self._store = store

    def champion(self, group: str) -> KnownChampion | None:
        state = self._store.load(group)
        if state.live:
            return KnownChampion(state.live.arn, True, state.live.metrics, state.live.metrics_uri)
        newest = state.newest_approved
        return KnownChampion(newest.arn, False, newest.metrics, newest.metrics_uri) if newest else None

    def live_arn(self, group: str) -> str | None:
        live = self._store.load(group).live
        return live.arn if live else None

    def protected_arns(self, group: str) -> frozenset[str]:
        """Live, the rollback targets, the release in flight and the queued version."""
        return self._store.load(group).arns()
