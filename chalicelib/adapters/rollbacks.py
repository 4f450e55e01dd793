"""The release engine's rollback behind the Rollbacks port, for Slack's Roll back button (and the CLI)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from chalicelib.release.rollback import rollback

if TYPE_CHECKING:
    from chalicelib.release.steps import ReleaseDeps


class ReleaseEngineRollbacks:
    def __init__(self, deps: Callable[[], ReleaseDeps]) -> None:
        self._deps = deps  # built on first use: a refused click must not pay for the release wiring

    def rollback(self, group: str, to_version: int | None, actor: str, reason: str) -> dict[str, Any]:
        return rollback(group, to_version, actor, reason, self._deps())
