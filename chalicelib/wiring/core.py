"""The parts every feature shares: settings, clients, the registry, the policies, the notifier, and the
state table's release store and Slack decision locks (the gate, the engine, the reviews and Slack read them)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from functools import cached_property
from typing import TYPE_CHECKING, Any

from chalicelib.adapters.aws import ClientFactory, cached_clients
from chalicelib.gate.ports import MetricsReader
from chalicelib.shared.clock import utc_now
from chalicelib.shared.ports import ModelRegistry, Notifier, Policies
from chalicelib.shared.settings import Settings, load_settings

if TYPE_CHECKING:  # the state table's adapters load with their first use
    from chalicelib.adapters.state_table.releases import ReleasedVersions
    from chalicelib.release.ports import ReleaseStore
    from chalicelib.slack.ports import DecisionLocks


class CoreParts:
    _settings: Settings | None
    _client_factory: Callable[[str], Any]

    @cached_property
    def settings(self) -> Settings:
        return self._settings or load_settings()

    @cached_property
    def clock(self) -> Callable[[], datetime]:
        """The release engine's and the gate's time (the local stack may run it faster); Slack's signatures
        and the registry's ages stay on the wall clock."""
        return utc_now

    @cached_property
    def client(self) -> ClientFactory:
        """`client("sagemaker")`: one client per service, made on first use, typed per service."""
        return cached_clients(self._client_factory)

    @cached_property
    def registry(self) -> ModelRegistry:
        from chalicelib.adapters.model_packages.registry import SageMakerRegistry

        return SageMakerRegistry(self.client("sagemaker"))

    @cached_property
    def metrics_reader(self) -> MetricsReader:
        from chalicelib.adapters.s3 import S3MetricsReader

        return S3MetricsReader(self.client("s3"))

    @cached_property
    def policies(self) -> Policies:
        from chalicelib.adapters.policy_files import FilePolicyRepository

        return FilePolicyRepository(self.settings.policy_dir)

    @cached_property
    def notifier(self) -> Notifier:
        from chalicelib.adapters.notifiers import FanOutNotifier, SnsNotifier

        channels: list[tuple[str, Notifier]] = []
        if self.settings.topic_arn:
            channels.append(("sns", SnsNotifier(self.client("sns"), self.settings.topic_arn)))
        if self.settings.slack_secret:
            channels.append(("slack", self._slack_notifier()))
        return FanOutNotifier(channels)

    def _slack_notifier(self) -> Notifier:
        from chalicelib.adapters.secrets import slack_credentials_loader
        from chalicelib.adapters.slack_api import SlackNotifier

        secret = self.settings.slack_secret
        assert secret is not None
        loader = slack_credentials_loader(secret, self.client)
        return SlackNotifier(loader, self.settings.slack_channel, self.settings.slack_api_url)

    @cached_property
    def release_store(self) -> ReleaseStore:
        from chalicelib.adapters.state_table.releases import DynamoReleaseStore

        return DynamoReleaseStore(self.client("dynamodb"), self.settings.require_state_table())

    @cached_property
    def protected_versions(self) -> ReleasedVersions:
        from chalicelib.adapters.state_table.releases import ReleasedVersions

        return ReleasedVersions(self.release_store)

    @cached_property
    def decision_locks(self) -> DecisionLocks:
        from chalicelib.adapters.state_table.decision_locks import DynamoDecisionLocks

        return DynamoDecisionLocks(self.client("dynamodb"), self.settings.require_state_table())
