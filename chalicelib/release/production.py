"""Production as the rest of the engine sees it, whatever the target: an endpoint's status and config, or a
batch target's SSM parameter read as one (InService on the published model's config). Restoring a version
is UpdateEndpoint to its config, or publishing its model again."""

from __future__ import annotations

from chalicelib.release import batch_steps
from chalicelib.release.deps import ReleaseDeps
from chalicelib.release.policy import ReleasePolicy
from chalicelib.release.ports import EndpointView
from chalicelib.release.state import Deployed
from chalicelib.shared.errors import ProductionBusyError, ShepherdError
from chalicelib.shared.model_version import APPROVED
from chalicelib.shared.observability import count, logger, stuck


def production_view(group: str, policy: ReleasePolicy, deps: ReleaseDeps) -> EndpointView | None:
    if policy.batch is not None:
        return batch_steps.production_view(group, deps)
    return deps.endpoints.describe(policy.production.name)


def restore_approved(group: str, policy: ReleasePolicy, target: Deployed, deps: ReleaseDeps) -> None:
    """`restore`, if the registry still calls the target Approved: a Rejected version never serves again."""
    status = deps.packages.approval(target.arn).status
    if status != APPROVED:
        logger.error("restore refused: target not Approved", extra={"version": target.version, "status": status})
        stuck("RestoreRefused")  # production stays on the failing release: people must choose
        return
    restore(group, policy, target, deps)


def restore(group: str, policy: ReleasePolicy, target: Deployed, deps: ReleaseDeps) -> None:
    """Production back to a known-good version. If SageMaker (or SSM) refuses now, the reconciler tries again."""
    try:
        if policy.batch is not None:
            batch_steps.publish(group, target, deps)
        else:
            deps.endpoints.deploy(policy.production.name, target.config)
    except ProductionBusyError:  # e.g. an aborted step's weight change still settling: expected
        where = policy.production.name or group
        logger.info("restore deferred: production is busy, sent again once it settles", extra={"production": where})
        count("RestoreDeferred")
    except ShepherdError as error:  # refused
        where = policy.production.name or group
        logger.error("restore failed; the reconciler retries", extra={"production": where, "error": str(error)})
        count("RestoreFailed")
