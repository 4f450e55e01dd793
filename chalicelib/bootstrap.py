"""The composition root: builds settings, clients and adapters lazily, once, and lets tests swap any."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from functools import cached_property
from typing import TYPE_CHECKING, Any, cast

from chalicelib.adapters.aws import SessionClients
from chalicelib.gate.service import GateDeps, decide_pending
from chalicelib.shared.ports import LiveVersions, MetricsReader, ModelRegistry, Notifier, PolicySource
from chalicelib.shared.settings import Settings, load_settings

if TYPE_CHECKING:  # Slack approvals
    from chalicelib.shared.ports import DecisionLocks, Rollbacks
    from chalicelib.slack.deps import SlackActionDeps

if TYPE_CHECKING:  # the release engine's types, imported lazily at run time like every adapter
    from chalicelib.adapters.live_versions import ReleasedVersions
    from chalicelib.release.ports import ReleaseStore
    from chalicelib.release.steps import ReleaseDeps

if TYPE_CHECKING:  # the cleanup's modules load only when a cleanup runs
    from chalicelib.cleanup.ports import PolicyCatalog
    from chalicelib.cleanup.report import GroupReport
    from chalicelib.cleanup.retention import VersionSummary
    from chalicelib.cleanup.service import CleanupDeps

IDEMPOTENCY_WINDOW_SECONDS = 24 * 3600  # past it, the decision recorded on the package still holds


def utc_now() -> datetime:
    return datetime.now(UTC)


LAMBDA_TIME_LIMIT_MS = 15 * 60 * 1000  # outside Lambda (the CLI) a run gets as long as the longest Lambda


def remaining_time(lambda_context: Any, clock: Callable[[], datetime]) -> Callable[[], float]:
    """The Lambda context's clock when there is one, else 15 minutes from now."""
    if lambda_context is not None and hasattr(lambda_context, "get_remaining_time_in_millis"):
        return lambda: float(lambda_context.get_remaining_time_in_millis())
    started = clock()
    return lambda: LAMBDA_TIME_LIMIT_MS - (clock() - started).total_seconds() * 1000


class Container:
    def __init__(
        self,
        settings: Settings | None = None,
        client_factory: Callable[[str], Any] | None = None,
        **overrides: Any,
    ) -> None:
        self._settings = settings
        self._client_factory = client_factory or SessionClients()  # one boto3 session per container
        self._clients: dict[str, Any] = {}
        for name, value in overrides.items():  # e.g. notifier=FakeNotifier(): wins over the built one
            setattr(self, name, value)

    @cached_property
    def settings(self) -> Settings:
        return self._settings or load_settings()

    def client(self, service: str) -> Any:
        if service not in self._clients:
            self._clients[service] = self._client_factory(service)
        return self._clients[service]

    @cached_property
    def registry(self) -> ModelRegistry:
        from chalicelib.adapters.model_packages import SageMakerRegistry

        return SageMakerRegistry(self.client("sagemaker"))

    @cached_property
    def metrics_reader(self) -> MetricsReader:
        from chalicelib.adapters.s3_metrics import S3MetricsReader

        return S3MetricsReader(self.client("s3"))

    @cached_property
    def policies(self) -> PolicySource:
        from chalicelib.adapters.policy_files import FilePolicyRepository

        return FilePolicyRepository(self.settings.policy_dir)

    @cached_property
    def live_versions(self) -> LiveVersions:
        return self.protected_versions  # the release engine's store: the gate's champion is the live version

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
        from chalicelib.adapters.slack_notifier import SlackNotifier

        secret = self.settings.slack_secret
        assert secret is not None
        loader = slack_credentials_loader(secret, self.client)
        return SlackNotifier(loader, self.settings.slack_channel, self.settings.slack_api_url)

    @cached_property
    def gate_deps(self) -> GateDeps:
        return GateDeps(
            registry=self.registry,
            metrics=self.metrics_reader,
            policies=self.policies,
            live=self.live_versions,
            notifier=self.notifier,
            clock=utc_now,
        )

    def decide_pending_once(self, arn: str, status: str, lambda_context: Any = None) -> dict[str, Any]:
        """The gate behind Powertools idempotency keyed on the package and status, not the event id."""
        if lambda_context is not None:
            # Lets an invocation that dies mid-decision free its lock when its time is up.
            self._idempotency_config.register_lambda_context(lambda_context)
        result: dict[str, Any] = self._idempotent_gate(key={"arn": arn, "status": status})
        return result

    @cached_property
    def _idempotency_config(self) -> Any:
        from aws_lambda_powertools.utilities.idempotency import IdempotencyConfig

        return IdempotencyConfig(
            event_key_jmespath="[arn, status]",
            raise_on_no_idempotency_key=True,
            expires_after_seconds=IDEMPOTENCY_WINDOW_SECONDS,
        )

    @cached_property
    def _idempotent_gate(self) -> Callable[..., dict[str, Any]]:
        from aws_lambda_powertools.utilities.idempotency import DynamoDBPersistenceLayer, idempotent_function

        store = DynamoDBPersistenceLayer(
            table_name=self.settings.require_idempotency_table(), boto3_client=self.client("dynamodb")
        )
        deps = self.gate_deps

        @idempotent_function(  # type: ignore[untyped-decorator]
            data_keyword_argument="key", persistence_store=store, config=self._idempotency_config
        )
        def gate_decision(key: dict[str, str]) -> dict[str, Any]:
            return decide_pending(key["arn"], deps)

        return gate_decision  # type: ignore[no-any-return]

    # --- release engine ---------------------------------------------------------------------------
    @cached_property
    def release_store(self) -> ReleaseStore:
        from chalicelib.adapters.release_store import DynamoReleaseStore

        return DynamoReleaseStore(self.client("dynamodb"), self.settings.require_state_table())

    @cached_property
    def protected_versions(self) -> ReleasedVersions:
        from chalicelib.adapters.live_versions import ReleasedVersions

        return ReleasedVersions(self.release_store)

    @cached_property
    def release_deps(self) -> ReleaseDeps:
        from chalicelib.adapters.cloudwatch import CloudWatchAlarms
        from chalicelib.adapters.endpoints import SageMakerEndpoints
        from chalicelib.adapters.package_approvals import SageMakerPackages
        from chalicelib.adapters.runtime import RuntimeInvoker
        from chalicelib.release.steps import ReleaseDeps

        return ReleaseDeps(
            store=self.release_store,
            endpoints=SageMakerEndpoints(self.client("sagemaker")),
            invoker=RuntimeInvoker(self.client("sagemaker-runtime")),
            alarms=CloudWatchAlarms(self.client("cloudwatch")),
            packages=SageMakerPackages(self.client("sagemaker")),
            policies=self.policies,  # type: ignore[arg-type]  # FilePolicyRepository also lists groups
            notifier=self.notifier,
            clock=utc_now,
        )

    # --- Slack approvals (POST /slack/actions) -------------------------------------------------

    @cached_property
    def rollbacks(self) -> Rollbacks:
        from chalicelib.adapters.rollbacks import ReleaseEngineRollbacks

        return ReleaseEngineRollbacks(lambda: self.release_deps)

    @cached_property
    def decision_locks(self) -> DecisionLocks:
        from chalicelib.adapters.decision_locks import DynamoDecisionLocks

        return DynamoDecisionLocks(self.client("dynamodb"), self.settings.require_state_table())

    @cached_property
    def slack_actions_deps(self) -> SlackActionDeps:
        from chalicelib.adapters.secrets import signing_secret_loader, slack_credentials_loader
        from chalicelib.adapters.slack_api import ResponseUrlResponder, UserGroupDirectory, allowed_reply_prefixes
        from chalicelib.slack.auth import Workspace
        from chalicelib.slack.deps import SlackActionDeps

        settings = self.settings
        secret = settings.slack_secret or ""  # unset: every click is answered 503, "not configured"
        return SlackActionDeps(
            signing_secret=signing_secret_loader(secret, self.client) if secret else _no_slack_secret,
            workspace=Workspace(settings.slack_team_id, settings.slack_app_id),
            registry=self.registry,
            policies=self.policies,
            locks=self.decision_locks,
            responder=ResponseUrlResponder(allowed_reply_prefixes(settings.slack_api_url)),
            user_groups=UserGroupDirectory(slack_credentials_loader(secret, self.client), settings.slack_api_url),
            rollbacks=self.rollbacks,
            clock=utc_now,
        )

    # --- cleanup --------------------------------------------------------------------------------
    @cached_property
    def cleanup_deps(self) -> CleanupDeps:
        from chalicelib.adapters.cleanup_packages import SageMakerCleanupRegistry
        from chalicelib.adapters.cleanup_state import DynamoCleanupState
        from chalicelib.adapters.s3_artifacts import S3ArtifactStore
        from chalicelib.cleanup.service import CleanupDeps

        return CleanupDeps(
            registry=SageMakerCleanupRegistry(self.client("sagemaker")),
            artifacts=S3ArtifactStore(self.client("s3")),
            policies=cast("PolicyCatalog", self.policies),  # FilePolicyRepository also lists the groups
            protected=self.protected_versions,
            # The table is looked up on the first write: a dry run needs none.
            state=DynamoCleanupState(self.client("dynamodb"), self.settings.require_state_table),
            notifier=self.notifier,
            clock=self.cleanup_clock,
        )

    @cached_property
    def cleanup_clock(self) -> Callable[[], datetime]:
        return utc_now  # tests move it forward instead of ageing versions

    def run_cleanup(
        self,
        lambda_context: Any = None,
        groups: Sequence[str] = (),
        dry_run: bool = False,
        observe: Callable[[VersionSummary, str], None] | None = None,
    ) -> list[GroupReport]:
        """The retention sweep; it stops `cleanup_reserve_seconds` before the Lambda (or CLI) time limit."""
        from chalicelib.cleanup.service import run_cleanup
        from chalicelib.cleanup.sweep import Deadline

        remaining = remaining_time(lambda_context, self.cleanup_clock)
        deadline = Deadline(remaining, reserve_ms=self.settings.cleanup_reserve_seconds * 1000)
        return run_cleanup(self.cleanup_deps, deadline, groups, dry_run, observe)


def _no_slack_secret() -> str:
    from chalicelib.shared.errors import ConfigurationError

    raise ConfigurationError("SHEPHERD_SLACK_SECRET is not set: Slack clicks cannot be verified")


_container: Container | None = None


def container() -> Container:
    global _container
    if _container is None:
        _container = Container()
    return _container


def use_container(replacement: Container | None) -> None:
    """Tests and the local stack install their own container; None goes back to the default."""
    global _container
    _container = replacement
