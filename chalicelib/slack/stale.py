"""A button whose subject moved on is refused before it asks why: no modal for a decision that cannot be made.

After `shepherd approve` (or the console, another click, a review's expiry) the review message still shows
its buttons; a Reject or Decide again click on it must not open the reason modal only to say, after the
person typed a reason, that the version was decided. One read (DescribeModelPackage, or the group's release
state for Stop, Continue and a paused release's Roll back) tells; the submission re-checks under the lock
anyway, so this only spares people the modal.
"""

from __future__ import annotations

from chalicelib.shared.errors import ModelPackageNotFoundError, ShepherdError
from chalicelib.shared.model_version import PENDING
from chalicelib.slack.click import Click, Decide, Paused, Promotion, Regate, Request
from chalicelib.slack.deps import SlackActionDeps
from chalicelib.slack.once import changed_nothing, failed
from chalicelib.slack.replies import decided_by
from chalicelib.slack.result import ClickResult


def stale(click: Click, wanted: Request, deps: SlackActionDeps) -> ClickResult | None:
    """The answer to a click whose version or release is no longer what the button was for; None: ask why."""
    if isinstance(wanted, Decide | Regate):
        return _decided(click, wanted, deps)
    if isinstance(wanted, Promotion) and not wanted.promote:
        return _not_awaiting(click, wanted, deps)
    if isinstance(wanted, Paused):
        return _not_paused(click, wanted, deps)
    return None  # Roll back: the engine decides what a rollback may go back to, when the reason comes


def _decided(click: Click, wanted: Decide | Regate, deps: SlackActionDeps) -> ClickResult | None:
    label = f"{wanted.group} v{wanted.arn.rsplit('/', 1)[-1]}"
    try:
        version = deps.registry.get_version(wanted.arn)
    except ModelPackageNotFoundError:
        return changed_nothing(click, f"{label} no longer exists: nothing changed", deps)
    except Exception as error:  # noqa: BLE001 - throttled or failing: nothing changed, click again
        return failed(click, None, error, deps)
    if version.status == PENDING:
        return None
    return changed_nothing(click, f"{label} is already {version.status}: {decided_by(version)}", deps)


def _not_awaiting(click: Click, wanted: Promotion, deps: SlackActionDeps) -> ClickResult | None:
    try:
        deps.promotions.awaiting(wanted.group, wanted.version)
    except ShepherdError as error:  # promoted, stopped, expired, superseded: nothing to stop
        return changed_nothing(click, f"Not stopped: {error}", deps)
    except Exception as error:  # noqa: BLE001
        return failed(click, None, error, deps)
    return None


def _not_paused(click: Click, wanted: Paused, deps: SlackActionDeps) -> ClickResult | None:
    verb = "continued" if wanted.go_on else "rolled back"
    try:
        deps.pauses.paused(wanted.group, wanted.version)
    except ShepherdError as error:  # continued, rolled back, ran out, another version: nothing to decide
        return changed_nothing(click, f"Not {verb}: {error}", deps)
    except Exception as error:  # noqa: BLE001
        return failed(click, None, error, deps)
    return None
