"""LiveVersions and ProtectedVersions from the release store: what serves, and what may be needed again."""

from __future__ import annotations

from chalicelib.ports import LiveVersion
from chalicelib.release_ports import ReleaseStore


class ReleasedVersions:
    def __init__(self, store: ReleaseStore) -> None:
        self._store = store

    def live(self, group: str) -> LiveVersion | None:
        deployed = self._store.load(group).live
        return LiveVersion(deployed.arn, deployed.metrics) if deployed else None

    def live_arn(self, group: str) -> str | None:
        found = self.live(group)
        return found.arn if found else None

    def protected_arns(self, group: str) -> frozenset[str]:
        """Live, the rollback targets, the release in flight and the queued version."""
        return self._store.load(group).arns()
