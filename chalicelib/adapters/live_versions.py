"""LiveVersions and ProtectedVersions from the release store: what serves, and what may be needed again."""

from __future__ import annotations

from chalicelib.release_ports import ReleaseStore


class ReleasedVersions:
    def __init__(self, store: ReleaseStore) -> None:
        self._store = store

    def live_arn(self, group: str) -> str | None:
        live = self._store.load(group).live
        return live.arn if live else None

    def protected_arns(self, group: str) -> frozenset[str]:
        """Live, the rollback targets, the release in flight and the queued version."""
        return self._store.load(group).arns()
