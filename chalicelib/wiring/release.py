"""The release engine's parts: endpoints, invokers, alarms, batch targets, rollout hooks and remote places."""

from __future__ import annotations

import functools
from functools import cached_property
from typing import TYPE_CHECKING

from chalicelib.adapters.aws import SessionClients
from chalicelib.wiring.core import CoreParts

if TYPE_CHECKING:  # the release engine's types, imported lazily at run time like every adapter
    from chalicelib.hooks.ports import HookCaller
    from chalicelib.release.batch_ports import BatchPorts
    from chalicelib.release.deps import ReleaseDeps
    from chalicelib.release.places import Places


class ReleaseParts(CoreParts):
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
