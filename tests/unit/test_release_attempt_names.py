"""Two attempts of one version in the same second create different models, as SageMaker requires. No moto."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from chalicelib.adapters.policy_files import FilePolicyRepository
from chalicelib.release.deps import ReleaseDeps
from chalicelib.release.endpoint_spec import EndpointSpec
from chalicelib.release.names import name_prefix
from chalicelib.release.policy import Deployment
from chalicelib.release.rollback import rollback
from chalicelib.release.service import advance, on_approved
from chalicelib.release.state import Stage
from chalicelib.shared.errors import ReleaseStepError
from chalicelib.shared.settings import SOURCE_POLICIES
from tests.fakes.gate import RecordingNotifier
from tests.fakes.release import (
    ApprovedPackages,
    GoodAnswers,
    MemoryEndpoints,
    MemoryStore,
    QuietAlarms,
    fixed_clock,
)

GROUP = "fraud-detection-models"
ARN = f"arn:aws:sagemaker:us-east-1:123456789012:model-package/{GROUP}/"
STAGING = "fraud-detection-staging"


@dataclass
class StrictEndpoints(MemoryEndpoints):
    """Refuses a second model or config of one name, as SageMaker does; staging refuses v2's config."""

    created: list[str] = field(default_factory=list)

    def create_model(self, name: str, package_arn: str, role_arn: str) -> None:
        self._create(name)

    def create_config(self, name: str, spec: EndpointSpec, model: str) -> None:
        self._create(name)

    def deploy(self, name: str, config: str, deployment: Deployment | None = None) -> None:
        if name == STAGING and "-v2-" in config:
            raise ReleaseStepError("update_endpoint: ValidationException: capacity")
        super().deploy(name, config, deployment)

    def _create(self, name: str) -> None:
        if name in self.created:
            raise ReleaseStepError(f"Cannot create already existing {name}")
        self.created.append(name)


def test_a_failed_release_and_a_rollback_to_it_in_the_same_second_use_different_names() -> None:
    endpoints = StrictEndpoints()
    now = [fixed_clock() - timedelta(hours=2)]
    release_deps = ReleaseDeps(
        MemoryStore(),
        endpoints,
        GoodAnswers(),
        QuietAlarms(),
        ApprovedPackages(GROUP),
        FilePolicyRepository(SOURCE_POLICIES),
        RecordingNotifier(),
        lambda: now[0],
    )
    on_approved(ARN + "1", release_deps)
    advance(GROUP, release_deps)
    advance(GROUP, release_deps)
    now[0] = fixed_clock()  # v1's watch window is over; every step below happens in this one second
    advance(GROUP, release_deps)
    on_approved(ARN + "2", release_deps)  # its staging deploy is refused: the release fails
    failed = release_deps.store.load(GROUP).release
    assert failed is not None and (failed.version, failed.stage) == (2, Stage.FAILED)

    rollback(GROUP, 2, "ops", "v2 was fine after all", release_deps)  # creates v2's model and config again

    models = [name for name in endpoints.created if "-v2-" in name and not name.endswith(("-stg", "-prd"))]
    assert len(models) == 2 and models[0] != models[1]
    assert all(name.startswith(name_prefix(GROUP) + "-v2-") for name in models)
