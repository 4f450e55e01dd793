"""Whether a stage account's endpoint events still reach the app's bus. The reconciler reads endpoints directly,
so it repairs a release whose event never came; when the endpoint it finds settled (InService on the release's
config, or Failed) changed longer than MARGIN ago and no event from that account has arrived since, the
account's forwarding rule is suspect: logged, counted (`EventForwardingSuspect`, per account) and told once
(until an event arrives again). The endpoint event handler marks each arrival (EventArrivals)."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any

from chalicelib.release.arrival_ports import Arrivals
from chalicelib.release.deps import ReleaseDeps, production_deps, release_policy, staging_deps
from chalicelib.release.machine import FAILED_STATUSES, IN_SERVICE
from chalicelib.release.policy import ReleasePolicy
from chalicelib.release.ports import EndpointView
from chalicelib.release.state import GroupState, Release, Stage
from chalicelib.shared.errors import ShepherdError
from chalicelib.shared.notification import Notification
from chalicelib.shared.observability import count, logger
from chalicelib.shared.slack_text import escape, section

MARGIN = timedelta(minutes=10)  # an event is delivered in seconds; retried deliveries take a few minutes
ACCOUNT = re.compile(r"\d{12}")
CHECK = "check the forwarding rule (infra/target-account.json)"


def unheard(view: EndpointView | None, config: str, arrivals: Arrivals, now: datetime) -> bool:
    """The endpoint settled on `config` (or failed) more than MARGIN ago, and no event arrived since."""
    if view is None or view.modified_at is None:
        return False
    settled = view.status in FAILED_STATUSES or (view.status == IN_SERVICE and view.config == config)
    heard = arrivals.heard_at
    return settled and now - view.modified_at > MARGIN and (heard is None or heard < view.modified_at)


def heard_from(account: Any, deps: ReleaseDeps) -> None:
    """An endpoint event from `account` (the event's own field) arrived now. A mark is news for the
    reconciler, never a reason to drop the event: failing to write it is logged and the event goes on."""
    if deps.arrivals is None or not isinstance(account, str) or not ACCOUNT.fullmatch(account):
        return
    try:
        deps.arrivals.heard(account, deps.clock())
    except Exception as error:  # noqa: BLE001 - the event's own work matters more than the mark
        logger.warning("could not mark the event's arrival", extra={"account": account, "error": repr(error)})


def suspected_line(account: str) -> str:
    """What people read (notification, `shepherd status`)."""
    return f"events from account {account} seem not to arrive: {CHECK}"


def check_forwarding(group: str, state: GroupState, deps: ReleaseDeps) -> str | None:
    """The reconciler's check, never a reason not to repair: its own failure is logged and the repair goes on."""
    try:
        policy = release_policy(group, deps, state)
        return _suspected(state, policy, deps) if policy is not None else None
    except ShepherdError:
        return None  # an invalid policy, a stage that cannot be reached: advance() meets it too and reports it
    except Exception as error:  # noqa: BLE001 - an unforeseen failure of the check alone
        logger.warning("forwarding check failed", extra={"group": group, "error": repr(error)})
        return None


def _suspected(state: GroupState, policy: ReleasePolicy, deps: ReleaseDeps) -> str | None:
    """Before the reconciler repairs a release waiting on a stage in another account: the account, when its
    events seem not to arrive. Reads one endpoint (the stage's) and one item (the account's arrivals)."""
    waiting = _waiting_on(state.release, policy)
    if deps.arrivals is None or waiting is None:
        return None
    stage, account, endpoint, config = waiting
    stage_deps = staging_deps(policy, deps) if stage == "staging" else production_deps(policy, deps)
    now = deps.clock()
    if not unheard(stage_deps.endpoints.describe(endpoint), config, deps.arrivals.load(account), now):
        return None
    logger.warning(suspected_line(account), extra={"group": state.group, "stage": stage, "account": account})
    count("EventForwardingSuspect", account=account)
    if deps.arrivals.suspect(account, now):
        deps.notifier.send(forwarding_notification(account, state.group, stage))
    return account


def _waiting_on(release: Release | None, policy: ReleasePolicy) -> tuple[str, str, str, str] | None:
    """(stage, its account, its endpoint, the config it should reach) while the release waits on a stage in
    another account's endpoint; None otherwise."""
    if release is None or release.stage not in (Stage.STAGING, Stage.PRODUCTION):
        return None
    if release.stage is Stage.STAGING:
        place, endpoint, config = policy.places.staging, policy.staging.name, release.staging_config
    else:
        place, endpoint, config = policy.places.production, policy.production.name, release.production_config
    if place is None or place.target_account is None:
        return None
    return release.stage.value.lower(), place.target_account, endpoint, config


def forwarding_notification(account: str, group: str, stage: str) -> Notification:
    kind = "events.forwarding_suspect"
    text = f":warning: {suspected_line(account)} (seen repairing {group}'s {stage} release step)"
    body: dict[str, Any] = {"type": kind, "account": account, "group": group, "stage": stage, "check": CHECK}
    return Notification(kind, text, body, {"type": kind, "group": group}, [section(escape(text))])
