"""The composition root: builds settings, clients and adapters lazily, once, and lets tests swap any."""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import datetime
from functools import cached_property
from typing import TYPE_CHECKING, Any

from chalicelib.adapters.aws import ClientFactory, SessionClients, cached_clients
from chalicelib.gate.ports import LiveVersions, MetricsReader
from chalicelib.gate.service import GateDeps
from chalicelib.shared.clock import utc_now
from chalicelib.shared.ports import ModelRegistry, Notifier, Policies
from chalicelib.shared.settings import Settings, load_settings

if TYPE_CHECKING:  # the gate's idempotency layer (Powertools) loads with the first decision
    from chalicelib.gate.once import OnceGate

if TYPE_CHECKING:  # Slack approvals
    from chalicelib.slack.command_service import SlackCommandDeps
    from chalicelib.slack.deps import SlackActionDeps
    from chalicelib.slack.ports import DecisionLocks, Pauses, Promotions, Regates, Retries, Rollbacks

if TYPE_CHECKING:  # the release engine's types, imported lazily at run time like every adapter
    from chalicelib.adapters.state_table.releases import ReleasedVersions
    from chalicelib.hooks.ports import HookCaller
    from chalicelib.release.batch_ports import BatchPorts
    from chalicelib.release.deps import ReleaseDeps
    from chalicelib.release.places import Places
    from chalicelib.release.ports import ReleaseStore
    from chalicelib.release.sweep import SweepDeps
    from chalicelib.review.service import ReviewDeps

if TYPE_CHECKING:  # the cleanup's modules load only when a cleanup runs
    from chalicelib.cleanup.service import CleanupDeps


class Container:
    def __init__(
        self,
        settings: Settings | None = None,
        client_factory: Callable[[str], Any] | None = None,
        *,
        registry: ModelRegistry | None = None,
        metrics_reader: MetricsReader | None = None,
        policies: Policies | None = None,
        live_versions: LiveVersions | None = None,
        notifier: Notifier | None = None,
        release_deps: ReleaseDeps | None = None,
        sweep_deps: SweepDeps | None = None,
        slack_actions_deps: SlackActionDeps | None = None,
        slack_command_deps: SlackCommandDeps | None = None,
        review_deps: ReviewDeps | None = None,
        gate_once: OnceGate | None = None,
        cleanup_deps: CleanupDeps | None = None,
        cleanup_clock: Callable[[], datetime] | None = None,
        places: Places | None = None,
        hooks: HookCaller | None = None,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        """Each part given here replaces the one the container would build (keyword-only and typed:
        a misspelled part is a TypeError, not a silent no-op)."""
        self._settings = settings
        self._client_factory = client_factory or SessionClients()  # one boto3 session per container
        given: dict[str, object | None] = {
            "registry": registry,
            "metrics_reader": metrics_reader,
            "policies": policies,
            "live_versions": live_versions,
            "notifier": notifier,
            "release_deps": release_deps,
            "sweep_deps": sweep_deps,
            "slack_actions_deps": slack_actions_deps,
            "slack_command_deps": slack_command_deps,
            "review_deps": review_deps,
            "gate_once": gate_once,
            "cleanup_deps": cleanup_deps,
            "cleanup_clock": cleanup_clock,
            "places": places,
            "hooks": hooks,
            "clock": clock,
        }
        # A cached_property reads the instance's own value first: a given part is never built.
        self.__dict__.update({name: part for name, part in given.items() if part is not None})

    @cached_property
    def settings(self) -> Settings:
        return self._settings or load_settings()

    @cached_property
    def client(self) -> ClientFactory:
        """`client("sagemaker")`: one client per service, made on first use, typed per service."""
        return cached_clients(self._client_factory)

    @cached_property
    def clock(self) -> Callable[[], datetime]:
        """The release engine's and the gate's time (the local stack may run it faster); Slack's signatures
        and the registry's ages stay on the wall clock."""
        return utc_now

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
        from chalicelib.adapters.slack_api import SlackNotifier

        secret = self.settings.slack_secret
        assert secret is not None
        loader = slack_credentials_loader(secret, self.client)
        return SlackNotifier(loader, self.settings.slack_channel, self.settings.slack_api_url)

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

    # --- release engine ---------------------------------------------------------------------------
    @cached_property
    def release_store(self) -> ReleaseStore:
        from chalicelib.adapters.state_table.releases import DynamoReleaseStore

        return DynamoReleaseStore(self.client("dynamodb"), self.settings.require_state_table())

    @cached_property
    def protected_versions(self) -> ReleasedVersions:
        from chalicelib.adapters.state_table.releases import ReleasedVersions

        return ReleasedVersions(self.release_store)

    @cached_property
    def release_deps(self) -> ReleaseDeps:
        from chalicelib.adapters.async_runtime import AsyncRuntimeInvoker
        from chalicelib.adapters.cloudwatch import CloudWatchAlarms
        from chalicelib.adapters.endpoints import SageMakerEndpoints
        from chalicelib.adapters.metric_judge import CloudWatchJudge
        from chalicelib.adapters.model_packages.approvals import SageMakerPackages
        from chalicelib.adapters.model_packages.lifecycle import SageMakerLifeCycles
        from chalicelib.adapters.runtime import RuntimeInvoker
        from chalicelib.adapters.state_table.event_arrivals import DynamoEventArrivals
        from chalicelib.adapters.variants import SageMakerVariants
        from chalicelib.release.deps import ReleaseDeps

        return ReleaseDeps(
            store=self.release_store,
            endpoints=SageMakerEndpoints(self.client("sagemaker")),
            invoker=RuntimeInvoker(self.client("sagemaker-runtime")),
            alarms=CloudWatchAlarms(self.client("cloudwatch")),
            packages=SageMakerPackages(self.client("sagemaker")),
            policies=self.policies,
            notifier=self.notifier,
            clock=self.clock,
            async_invoker=AsyncRuntimeInvoker(self.client("sagemaker-runtime"), self.client("s3")),
            places=self.places,
            batch=self._batch_ports(),
            hooks=self.hooks,
            judge=CloudWatchJudge(self.client("cloudwatch")),
            variants=SageMakerVariants(self.client("sagemaker")),
            arrivals=DynamoEventArrivals(self.client("dynamodb"), self.settings.require_state_table),
            lifecycles=SageMakerLifeCycles(self.client("sagemaker")),  # the registry: the app's own account
        )

    def _batch_ports(self) -> BatchPorts:
        from chalicelib.adapters.job_outputs import S3JobOutputs
        from chalicelib.adapters.production_parameter import SsmProductionParameter
        from chalicelib.adapters.transform_jobs import SageMakerTransformJobs
        from chalicelib.release.batch_ports import BatchPorts

        jobs = SageMakerTransformJobs(self.client("sagemaker"))
        return BatchPorts(jobs, S3JobOutputs(self.client("s3")), SsmProductionParameter(self.client("ssm")))

    @cached_property
    def hooks(self) -> HookCaller:
        """The policies' rollout hooks: Lambda functions (a client per hook timeout) and signed HTTPS POSTs."""
        from chalicelib.adapters.https_hooks import HttpsHooks
        from chalicelib.adapters.lambda_hooks import LambdaHooks
        from chalicelib.adapters.secrets import hook_secret_loader
        from chalicelib.hooks.ports import RoutedHooks

        factory = self._client_factory
        if isinstance(factory, SessionClients):
            functions = LambdaHooks(functools.cache(lambda seconds: factory.timed("lambda", seconds)))
        else:  # a test's or the local stack's clients: theirs as they are
            functions = LambdaHooks(lambda _: self.client("lambda"))
        return RoutedHooks(functions, HttpsHooks(hook_secret_loader(self.client)))

    @cached_property
    def places(self) -> Places:
        """Stages in other accounts or regions, reached through their deploy roles (made on first use)."""
        from chalicelib.adapters.places import AssumedPlaces

        return AssumedPlaces(lambda: self.client("sts"))

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

    # --- Slack approvals (POST /slack/actions) -------------------------------------------------

    @cached_property
    def rollbacks(self) -> Rollbacks:
        from chalicelib.release.rollback import ReleaseRollbacks

        return ReleaseRollbacks(lambda: self.release_deps)

    @cached_property
    def retries(self) -> Retries:
        from chalicelib.release.retry import ReleaseRetries

        return ReleaseRetries(lambda: self.release_deps)

    @cached_property
    def promotions(self) -> Promotions:
        from chalicelib.release.promotion import ReleasePromotions

        return ReleasePromotions(lambda: self.release_deps)

    @cached_property
    def pauses(self) -> Pauses:
        from chalicelib.release.pause import ReleasePauses

        return ReleasePauses(lambda: self.release_deps)

    @cached_property
    def regates(self) -> Regates:
        from chalicelib.gate.regate import GateRegates

        return GateRegates(lambda: self.gate_deps)

    @cached_property
    def decision_locks(self) -> DecisionLocks:
        from chalicelib.adapters.state_table.decision_locks import DynamoDecisionLocks

        return DynamoDecisionLocks(self.client("dynamodb"), self.settings.require_state_table())

    @cached_property
    def slack_actions_deps(self) -> SlackActionDeps:
        from chalicelib.adapters.secrets import signing_secret_loader, slack_credentials_loader
        from chalicelib.adapters.slack_api import ResponseUrlResponder, UserGroupDirectory, allowed_reply_prefixes
        from chalicelib.adapters.slack_users import SlackUserDirectory
        from chalicelib.adapters.slack_views import SlackViewOpener
        from chalicelib.adapters.state_table.approval_tallies import DynamoApprovalTallies
        from chalicelib.slack.auth import Workspace
        from chalicelib.slack.deps import SlackActionDeps

        settings = self.settings
        secret = settings.slack_secret or ""  # unset: every click is answered 503, "not configured"
        credentials = slack_credentials_loader(secret, self.client)
        return SlackActionDeps(
            signing_secret=signing_secret_loader(secret, self.client) if secret else _no_slack_secret,
            workspace=Workspace(settings.slack_team_id, settings.slack_app_id),
            registry=self.registry,
            policies=self.policies,
            locks=self.decision_locks,
            responder=ResponseUrlResponder(allowed_reply_prefixes(settings.slack_api_url)),
            user_groups=UserGroupDirectory(credentials, settings.slack_api_url),
            rollbacks=self.rollbacks,
            retries=self.retries,
            promotions=self.promotions,
            pauses=self.pauses,
            regates=self.regates,
            views=SlackViewOpener(credentials, settings.slack_api_url),
            tallies=DynamoApprovalTallies(self.client("dynamodb"), settings.require_state_table()),
            users=SlackUserDirectory(credentials, settings.slack_api_url),
            clock=utc_now,
        )

    @cached_property
    def slack_command_deps(self) -> SlackCommandDeps:
        """/shepherd: verified and authorised like a click; reads only."""
        from chalicelib.adapters.state_table.command_reads import StateTableReads
        from chalicelib.slack.command_service import SlackCommandDeps

        actions = self.slack_actions_deps
        reads = StateTableReads(self.client("dynamodb"), self.settings.require_state_table())
        return SlackCommandDeps(
            actions.signing_secret, actions.workspace, self.policies, actions.user_groups, reads, utc_now
        )

    # --- cleanup --------------------------------------------------------------------------------
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
