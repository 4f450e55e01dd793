"""The reconciler's parts: the registry sweep (lost events made up for through the gate) and review expiry."""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING

from chalicelib.shared.clock import utc_now
from chalicelib.wiring.gate import GateParts
from chalicelib.wiring.release import ReleaseParts

if TYPE_CHECKING:  # loaded with the reconciler's first run
    from chalicelib.release.sweep import SweepDeps
    from chalicelib.review.service import ReviewDeps


class ReconcileParts(GateParts, ReleaseParts):
    @cached_property
    def sweep_deps(self) -> SweepDeps:
        """The reconciler's registry sweep: the registry searched for what changed, lost events made up for."""
        from chalicelib.adapters.model_packages.listing import RegistrySearch
        from chalicelib.adapters.state_table.sweep_cursor import DynamoSweepCursor
        from chalicelib.release.sweep import SweepDeps

        cursor = DynamoSweepCursor(self.client("dynamodb"), self.settings.require_state_table)
        registry_clock = None if self.clock is utc_now else utc_now  # the registry's times are the wall clock's
        return SweepDeps(RegistrySearch(self.client("sagemaker")), self.gate_once, cursor, clock=registry_clock)

    @cached_property
    def review_deps(self) -> ReviewDeps:
        """The reconciler's review expiry: the release store, the registry, the Slack decision lock."""
        from chalicelib.review.service import ReviewDeps

        deps = self.release_deps  # its clock: tests move one clock for the engine and the reviews
        return ReviewDeps(deps.store, self.registry, self.decision_locks, self.notifier, lambda: deps.clock())
