"""The registry's lifecycle labels as the release engine writes them (chalicelib.adapters.model_packages.lifecycle)."""

from __future__ import annotations

from typing import Protocol

from chalicelib.release.state import LifeCycle


class LifeCycles(Protocol):
    def write(self, arn: str, lifecycle: LifeCycle) -> None:
        """UpdateModelPackage with the version's ModelLifeCycle alone; LifeCycleWriteError when refused or throttled."""
        ...
