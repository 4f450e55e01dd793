"""The gate's parts: its dependencies and the idempotency layer (Powertools) that runs each decision once."""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING

from chalicelib.gate.ports import LiveVersions
from chalicelib.gate.service import GateDeps
from chalicelib.wiring.core import CoreParts

if TYPE_CHECKING:  # the gate's idempotency layer (Powertools) loads with the first decision
    from chalicelib.gate.once import OnceGate


class GateParts(CoreParts):
    @cached_property
    def live_versions(self) -> LiveVersions:
        return self.protected_versions  # the release engine's store: the gate's champion is the live version

    @cached_property
    def gate_deps(self) -> GateDeps:
        from chalicelib.review.stored import StoredReviews

        return GateDeps(
            registry=self.registry,
            metrics=self.metrics_reader,
            policies=self.policies,
            live=self.live_versions,
            notifier=self.notifier,
            clock=self.clock,
            reviews=StoredReviews(lambda: self.release_store),
        )

    @cached_property
    def gate_once(self) -> OnceGate:
        from chalicelib.gate.once import OnceGate

        return OnceGate(self.gate_deps, self.settings.require_idempotency_table(), self.client("dynamodb"))
