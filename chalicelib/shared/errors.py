"""Every error the app raises on purpose, in one place, so handlers map them in one place."""

from __future__ import annotations


class ShepherdError(Exception):
    """Base of every deliberate model-shepherd error."""


class ConfigurationError(ShepherdError):
    """A setting is missing or malformed; the message names it."""


class MalformedEventError(ShepherdError):
    """An incoming event lacks the fields we need; retrying will not help."""


class MetricsUnavailableError(ShepherdError):
    """A metrics document is missing, unreadable, not JSON or not numbers."""


class PolicyNotFoundError(ShepherdError):
    """The model package group has no policy file."""


class InvalidPolicyError(ShepherdError):
    """A policy file exists but does not pass the policy schema or the checks beyond it."""


class ModelPackageNotFoundError(ShepherdError):
    """The model package (version) does not exist (any more)."""


class DecisionInProgressError(ShepherdError):
    """Another invocation is deciding this version now, and nothing would retry it for us: retry later."""


class StateReadError(ShepherdError):
    """The state table kept some keys unread (throttled) after every retry."""


class ReconcileIncompleteError(ShepherdError):
    """Some groups failed in a reconciler run (each was logged and counted); the others were all visited."""


class ConflictError(ShepherdError):
    """Someone else changed the thing first; the caller's change was not applied."""


# --- Slack approvals ---------------------------------------------------------------------------


class InvalidSignatureError(ShepherdError):
    """A request to the Slack route is not signed by Slack (or not recently): answered 401, nothing done."""


class MalformedActionError(ShepherdError):
    """A signed Slack request whose payload is not a button click we can read: answered 400."""


# --- release engine ---
class ReleaseStepError(ShepherdError):
    """A release step (CreateModel, CreateEndpointConfig, Create/UpdateEndpoint) was refused; the message says why."""


class StageAccessError(ReleaseStepError):
    """A stage's deploy role could not be assumed, or its credentials are not the stage's account's."""


class StageUnreachableError(ReleaseStepError):
    """A stage's region could not be reached (connection refused or timed out after botocore's retries)."""


class RollbackError(ShepherdError):
    """A rollback cannot be done as asked (no target, target already live, target not Approved)."""


class ProductionBusyError(ConflictError):
    """Production is mid-update (Creating, Updating, RollingBack): SageMaker takes no second update."""


class DeleteFailedError(ShepherdError):
    """A delete (model package or S3 artifact) failed for a reason other than "already gone"."""


class RecoveryRefusedError(ShepherdError):
    """A retry or re-gate cannot be done as asked (wrong status, nothing failed, a release in flight)."""


class PromotionRefusedError(ShepherdError):
    """A Promote or Stop cannot be done as asked (nothing awaits promotion, another version does, expired,
    the candidate is no longer Approved); nothing was changed by the person's request."""


class PauseRefusedError(ShepherdError):
    """A Continue (or the Roll back of a paused release's message) cannot be done as asked: nothing is PAUSED,
    another version is, its pause ran out, or the version is no longer Approved; nothing was changed."""


class LifeCycleWriteError(ShepherdError):
    """SageMaker refused or throttled a version's ModelLifeCycle: a label, never a reason to stop a release."""


# --- metric analysis ---
class MetricsReadError(ShepherdError):
    """GetMetricData was refused or throttled (after botocore's retries), or could not compute a query: the
    measurement did not happen. Not a verdict: the engine measures again on its next tick."""
