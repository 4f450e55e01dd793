"""Until the release engine is merged, a Roll back click has nothing to call: say so clearly."""

from __future__ import annotations

from typing import Any

from chalicelib.errors import ReleaseEngineMissingError


class NoReleaseEngine:
    def rollback(self, group: str, to_version: int | None, actor: str, reason: str) -> dict[str, Any]:
        raise ReleaseEngineMissingError("release engine not installed: nothing can be rolled back yet")
