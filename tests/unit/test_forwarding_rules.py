"""When the reconciler suspects a stage account's events no longer arrive: an endpoint settled on the
release's config (or Failed) longer than the margin ago, with no event from its account since."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from chalicelib.release.arrival_ports import Arrivals
from chalicelib.release.forwarding import MARGIN, suspected_line, unheard
from chalicelib.release.ports import EndpointView

NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)
CHANGED = NOW - MARGIN - timedelta(minutes=1)


def view(status: str = "InService", config: str = "c-v3", modified: datetime | None = CHANGED) -> EndpointView:
    return EndpointView(status, config, modified_at=modified)


def test_settled_on_our_config_past_the_margin_and_never_heard_from() -> None:
    assert unheard(view(), "c-v3", Arrivals(), NOW)
    assert unheard(view("Failed", "c-v2"), "c-v3", Arrivals(), NOW)  # failed: settled too
    assert unheard(view(), "c-v3", Arrivals(heard_at=CHANGED - timedelta(hours=1)), NOW)  # heard before only


def test_an_event_since_the_change_or_a_change_within_the_margin_is_no_sign() -> None:
    assert not unheard(view(), "c-v3", Arrivals(heard_at=CHANGED + timedelta(seconds=2)), NOW)
    assert not unheard(view(modified=NOW - MARGIN + timedelta(minutes=1)), "c-v3", Arrivals(), NOW)


def test_an_endpoint_still_moving_or_on_another_config_or_unknown_is_no_sign() -> None:
    assert not unheard(view("Updating"), "c-v3", Arrivals(), NOW)
    assert not unheard(view(config="c-v2"), "c-v3", Arrivals(), NOW)  # the update has not happened yet
    assert not unheard(view(modified=None), "c-v3", Arrivals(), NOW)
    assert not unheard(None, "c-v3", Arrivals(), NOW)


def test_a_suspicion_stands_until_an_event_arrives_after_it() -> None:
    assert Arrivals(suspected_at=NOW).suspect
    assert Arrivals(heard_at=NOW - timedelta(minutes=1), suspected_at=NOW).suspect
    assert not Arrivals(heard_at=NOW + timedelta(minutes=1), suspected_at=NOW).suspect
    assert not Arrivals(heard_at=NOW).suspect
    assert suspected_line("222222222222") == (
        "events from account 222222222222 seem not to arrive: check the forwarding rule (infra/target-account.json)"
    )
