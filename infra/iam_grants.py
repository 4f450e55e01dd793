"""What each Lambda function's role may do: the grants per function, by what its code calls.

A grant is a named part of a policy (iam.py builds each part's statement for a stage); a function gets
only the parts its handler's code paths call. The functional tests record every AWS call each handler
makes and fail when its role refuses one, or grants an action none of them uses (tests/support/role_check.py).
"""

from __future__ import annotations

LAMBDA_RUNTIME = ("Logs", "KeepFailedEvents")  # used by Lambda itself for the function, not by its code

# The state table's item actions, per function (the release store, decision locks, sweep cursor, history).
STATE_RELEASE = ("dynamodb:GetItem", "dynamodb:PutItem")  # a group's release state: one item, conditional put
STATE_HISTORY = ("dynamodb:Query",)  # a group's history rows
STATE_SWEEP = ("dynamodb:BatchGetItem",)  # the sweep reads every listed version's record in batches
STATE_PENDING = ("dynamodb:BatchGetItem",)  # /shepherd pending: the groups' release states, 100 a read
STATE_LOCKS = ("dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem")  # Slack decision locks
STATE_CLEANUP = ("dynamodb:GetItem", "dynamodb:UpdateItem")  # the cleanup's progress per group
STATE_ARRIVALS = ("dynamodb:UpdateItem",)  # when each account's endpoint events last arrived (conditional)

_NOTIFY = ("Notify", "SlackCredentials")
# An async target's smoke tests: the request put in S3, InvokeEndpointAsync, the answer (or failure) read back.
_ASYNC_SMOKE = ("SmokeTestAsyncStaging", "PutAsyncSmokeRequests", "ReadAsyncSmokeAnswers")
# A batch target's smoke transform job watched and its output judged; production is an SSM parameter.
_BATCH_SMOKE = ("WatchSmokeTransformJobs", "ListSmokeTransformOutput", "ReadSmokeTransformOutput")
_BATCH_PRODUCTION = ("ReadBatchProduction", "PublishBatchProduction")
# A progressive or shadow release: a config of the champion beside the challenger, traffic shifted between them.
_VARIANTS = ("MakeVariantConfigs", "ShiftVariantWeights")
# Rollout hooks: asked before production is touched, before LIVE and after it (with their signing secrets).
_HOOKS = ("InvokeRolloutHooks", "HookSigningSecrets", "HookSigningParameters")

# function (Chalice's name: the decorator's name=, "api_handler" for the REST API) -> grants.
GRANTS: dict[str, tuple[str, ...]] = {
    # Reads a pending version and its metrics, decides it once (idempotency table), compares to the live one.
    "gate": (
        "ReadModelPackages",
        "ListGroupVersions",
        "DecideModelPackages",
        "ReadMetricsDocuments",
        "IdempotencyRecords",
        *_NOTIFY,
    ),
    # Slack clicks: approve/reject a version or have the gate decide it again (its metrics, the live
    # version's); promote, stop, roll back or retry a release.
    "api_handler": (
        "ReadModelPackages",
        "RecordModelLifeCycle",
        "ListGroupVersions",
        "ReadMetricsDocuments",
        "DeployEndpoints",
        "UpdateEndpoints",
        *_NOTIFY,
        "DecideModelPackages",
        "CreateReleaseResources",
        "PassExecutionRole",
        "ReplaceFailedStaging",
        "AssumeDeployRoles",
        "StartSmokeTransformJobs",
        *_BATCH_PRODUCTION,
        *_VARIANTS,
        *_HOOKS,
    ),
    # Approved: the staging deployment starts (model, configs, staging endpoint).
    "release_decided": (
        "ReadModelPackages",
        "RecordModelLifeCycle",
        "DeployEndpoints",
        "UpdateEndpoints",
        "CreateReleaseResources",
        "PassExecutionRole",
        "ReplaceFailedStaging",
        "StartSmokeTransformJobs",
        "MakeVariantConfigs",  # a progressive or shadow release's configs, should they be made with the others
        *_NOTIFY,
        "AssumeDeployRoles",
    ),
    # Endpoint and transform job changes move the release on: smoke test, canary, production, watching the alarms.
    "release_endpoint": (
        "ReadModelPackages",
        "RecordModelLifeCycle",
        "DeployEndpoints",
        "UpdateEndpoints",
        "WatchReleaseAlarms",
        "SmokeTestStaging",
        *_ASYNC_SMOKE,
        *_BATCH_SMOKE,
        "PublishBatchProduction",
        "CanaryMetrics",
        "AnalysisMetrics",
        *_VARIANTS,
        *_NOTIFY,
        "AssumeDeployRoles",
        *_HOOKS,
    ),
    # An alarm firing during a release or after it: roll production back.
    "release_alarm": (
        "ReadModelPackages",
        "RecordModelLifeCycle",
        "UpdateEndpoints",
        "WatchReleaseAlarms",
        "PublishBatchProduction",
        "ShiftVariantWeights",  # a failing challenger's weight to 0 before production returns to the champion
        *_NOTIFY,
        "AssumeDeployRoles",
        *_HOOKS,
    ),
    # Repairs whatever a lost event left; searches the registry for what changed and hands each change the
    # gate's or the release engine's way: both roles' needs.
    "release_reconcile": (
        "SearchRegistry",
        "ReadModelPackages",
        "RecordModelLifeCycle",
        "DeployEndpoints",
        "UpdateEndpoints",
        "WatchReleaseAlarms",
        *_NOTIFY,
        "CreateReleaseResources",
        "PassExecutionRole",
        "ReplaceFailedStaging",
        "SmokeTestStaging",
        *_ASYNC_SMOKE,
        "StartSmokeTransformJobs",
        *_BATCH_SMOKE,
        *_BATCH_PRODUCTION,
        "CanaryMetrics",
        "AnalysisMetrics",
        *_VARIANTS,
        "ListGroupVersions",
        "DecideModelPackages",
        "ReadMetricsDocuments",
        "IdempotencyRecords",
        "AssumeDeployRoles",
        *_HOOKS,
    ),
    # Retention: lists each group's versions, deletes rejected ones (and their artifacts when a policy says).
    "cleanup": (
        "ReadModelPackages",
        "ListGroupVersions",
        "DecideModelPackages",
        "DeleteModelPackages",
        "DeleteArtifacts",
        *_NOTIFY,
    ),
}

STATE_ACTIONS: dict[str, tuple[str, ...]] = {
    "gate": STATE_RELEASE,  # records a review's start in the group's release state
    "api_handler": (*STATE_RELEASE, *STATE_HISTORY, *STATE_LOCKS, *STATE_PENDING),
    "release_decided": (*STATE_RELEASE, *STATE_HISTORY),
    "release_endpoint": (*STATE_RELEASE, *STATE_ARRIVALS),
    "release_alarm": STATE_RELEASE,
    # Review expiry rejects under the Slack decision lock.
    "release_reconcile": (*STATE_RELEASE, *STATE_HISTORY, *STATE_SWEEP, *STATE_LOCKS, *STATE_ARRIVALS),
    "cleanup": STATE_CLEANUP,
}

# Invoked by EventBridge or a schedule (asynchronously): Lambda sends failed events to the queue.
ASYNC_FUNCTIONS = frozenset(name for name in GRANTS if name != "api_handler")


def state_actions(function: str) -> list[str]:
    return sorted(set(STATE_ACTIONS[function]))
