"""The scheduled cleanup's parts: the registry and artifacts it deletes from, and its own movable clock."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from functools import cached_property
from typing import TYPE_CHECKING

from chalicelib.shared.clock import utc_now
from chalicelib.wiring.core import CoreParts

if TYPE_CHECKING:  # the cleanup's modules load only when a cleanup runs
    from chalicelib.cleanup.service import CleanupDeps


class CleanupParts(CoreParts):
    @cached_property
    def cleanup_deps(self) -> CleanupDeps:
        from chalicelib.adapters.model_packages.cleanup import SageMakerCleanupRegistry
        from chalicelib.adapters.s3 import S3ArtifactStore
        from chalicelib.adapters.state_table.cleanup_state import DynamoCleanupState
        from chalicelib.cleanup.service import CleanupDeps

        return CleanupDeps(
            registry=SageMakerCleanupRegistry(self.client("sagemaker")),
            artifacts=S3ArtifactStore(self.client("s3")),
            policies=self.policies,
            protected=self.protected_versions,
            # The table is looked up on the first write: a dry run needs none.
            state=DynamoCleanupState(self.client("dynamodb"), self.settings.require_state_table),
            notifier=self.notifier,
            clock=self.cleanup_clock,
            reserve_seconds=self.settings.cleanup_reserve_seconds,
        )

    @cached_property
    def cleanup_clock(self) -> Callable[[], datetime]:
        return utc_now  # tests move it forward instead of ageing versions
