"""What moto 5.2.5 lacks and the app (or its users) call, added to moto itself.

The same patches serve in-process tests (`mock_aws`) and the moto server of the local stack:
moto dispatches an action to the response-class method of the same (snake_case) name, so adding
that method and its backend logic is enough. Written for one moto version; `install()` refuses others.
Each capability is a module that declares its patches; `declared_patches` lists them in order and
devstack.moto_ext.patching applies them, one wrapper per moto method.
"""

from __future__ import annotations

from importlib.metadata import version

from devstack.moto_ext import patching

MOTO_VERSION = "5.2.5"


def declared_patches() -> list[patching.Patch]:
    """Every change to moto. Where several wrap one method, the one listed first runs nearest to moto."""
    from devstack.aws_validation import server as request_validation
    from devstack.moto_ext import (
        dynamodb_atomic,
        endpoint_async,
        endpoint_lifecycle,
        endpoint_runtime,
        endpoint_variants,
        endpoints,
        metric_data,
        model_package_fidelity,
        model_package_lifecycle,
        model_package_search,
        model_packages,
        package_group_policy,
        policy_simulation,
        sagemaker_events,
        schedule_rules,
        server_dispatch,
        sqs_clock,
        transform_jobs,
        version_age,
    )

    return [
        # every request checked against the service model before moto serves it, refused as AWS refuses it
        *request_validation.patches(),
        # UpdateEndpoint with DeploymentConfig (release engine): it validates, then hands the update to
        # endpoint_lifecycle.begin_update, the one source of endpoint transitions and their events
        *endpoints.patches(),
        *model_packages.patches(),  # DeleteModelPackage(Group); numbers the new version, never reusing one
        *model_package_fidelity.patches(),  # then: its default status; updates keep what they omit
        *model_package_lifecycle.patches(),  # a version's ModelLifeCycle kept and shown, its event too
        *version_age.patches(),  # a version made old by a tag: the cleanup's retention, shown locally
        *package_group_policy.patches(),  # a group's resource policy: what `shepherd doctor` reads across accounts
        *model_package_search.patches(),  # Search of model packages by time, sorted and paged: the registry sweep
        *sagemaker_events.patches(),  # then the event, reporting what the layers below made
        *endpoint_runtime.patches(),  # invocations: configured answers, injected failures, counted traffic
        *endpoint_async.patches(),  # async invocations: the input read from S3, the answer written there
        *transform_jobs.patches(),  # transform jobs: InProgress, the input answered into the output, their events
        *endpoint_lifecycle.patches(),  # Creating -> InService after a delay (0 by default: moto's timing)
        # shadow variants kept and shown, every variant weighted, weights shifted Updating -> InService on that timing
        *endpoint_variants.patches(),
        *dynamodb_atomic.patches(),  # a conditional write's check and write as one step, as DynamoDB does
        *policy_simulation.patches(),  # SimulatePrincipalPolicy for roles: what `shepherd doctor` asks
        *server_dispatch.patches(),  # the server finds a request's backend once per host, not per request
        *sqs_clock.patches(),  # a queue's scan reads the clock cheaply: hundreds of messages per receive
        *schedule_rules.patches(),  # a schedule rule matches no event
        *metric_data.patches(),  # GetMetricData: percentiles, and metric math between queries (the analysis)
    ]


def install() -> None:
    """Patch moto once per process; safe to call again."""
    if patching.MOTO.applied:
        return
    found = version("moto")
    if found != MOTO_VERSION:
        raise RuntimeError(f"devstack.moto_ext is written for moto {MOTO_VERSION}, found {found}")
    patching.MOTO.apply(declared_patches())


def forget_everything() -> None:
    """Every moto backend empty again, and the endpoints' configured answers and counts: a stack that
    starts in a process where another ran (benchmarks, tests) finds no table, queue or rule of the other's."""
    from moto.moto_api._internal.models import moto_api_backend

    from devstack.moto_ext import endpoint_lifecycle, endpoint_runtime, transform_jobs

    moto_api_backend.reset()
    endpoint_lifecycle.reset()
    endpoint_runtime.reset()
    transform_jobs.reset()
