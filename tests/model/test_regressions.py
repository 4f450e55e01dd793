"""Sequences the model of a group's life found, replayed step by step with every rule unconstrained.

Each xfail names a defect being fixed: when its fix lands the test passes, strict xfail turns that into a
failure, and the xfail (and the defect's name in KNOWN_DEFECTS / NEW_DEFECTS) comes off.
"""

from __future__ import annotations

from chalicelib.shared.model_version import APPROVED, PENDING, REJECTED
from tests.model.group_life import GroupLife
from tests.model.world import GROUP, PRODUCTION, STAGING, Event


def life() -> GroupLife:
    return GroupLife(known_defects=())


def index_of(model: GroupLife, kind: str, status: str = "", version: int | None = None) -> int:
    for index, event in enumerate(model.world.queue):
        if event.kind == kind and event.status == status and (version is None or event.subject.endswith(f"/{version}")):
            return index
    raise AssertionError(f"no {kind} {status} v{version} event waiting in {model.world.queue}")


def deliver(model: GroupLife, kind: str, status: str = "", version: int | None = None) -> Event:
    event = model.world.queue[index_of(model, kind, status, version)]
    model.deliver(index_of(model, kind, status, version))
    return event


def flow(model: GroupLife) -> None:
    """Every event delivered in order and every endpoint settled InService, the clock standing still."""
    while model.world.queue or any(model.world.endpoints.pending.values()):
        while model.world.queue:
            model.deliver(0)
            checked(model)
        for endpoint in (STAGING, PRODUCTION):
            model.endpoint_settles(endpoint, "in_service")


def checked(model: GroupLife) -> None:
    model.no_violation()
    model.production_goes_back_only_by_rollback()
    model.each_release_once_and_notified_once()


def live(model: GroupLife, kind: str = "good") -> None:
    """A new version registered and released to the end of its watch window."""
    model.register(kind)
    flow(model)
    model.clock_moves(61)
    model.reconciler_tick()
    checked(model)


def test_a_quiet_life_of_three_versions_ends_with_the_newest_live() -> None:
    model = life()
    for _ in range(3):
        live(model)
    assert model.world.production_version() == 3
    model.teardown()


def test_a_bad_and_a_borderline_version_are_rejected_or_wait_for_people() -> None:
    model = life()
    live(model)
    model.register("bad")
    model.register("borderline")
    flow(model)
    statuses = {v.version: v.status for v in model.world.registry.versions.values()}
    assert statuses == {1: APPROVED, 2: REJECTED, 3: PENDING}
    model.teardown()


def test_faults_on_the_gate_store_endpoints_and_alarms_are_retried_and_the_release_ends_live() -> None:
    model = life()
    model.register("good")
    for port in ("registry", "metrics"):  # the registration event's two retries absorb them
        model.aws_fault(port, "throttling")
    flow(model)
    model.clock_moves(61)
    model.reconciler_tick()
    live(model)
    model.register("good")
    model.aws_fault("endpoints", "5xx")  # CreateModel: the release waits in STAGING for the reconciler
    model.aws_fault("alarms", "throttling")
    model.aws_fault("store", "throttling")
    flow(model)
    model.reconciler_tick()
    flow(model)
    model.clock_moves(61)
    model.reconciler_tick()
    assert model.world.production_version() == 3
    assert sum(model.world.faults.injected.values()) == 5
    model.teardown()


def test_a_throttled_smoke_test_is_run_again_and_the_release_ends_live() -> None:
    model = life()
    model.register("good")
    model.aws_fault("invoker", "throttling")
    flow(model)
    model.clock_moves(31)
    model.reconciler_tick()
    flow(model)
    assert model.world.production_version() == 1


def test_a_rollback_never_puts_a_rejected_version_into_production() -> None:
    model = life()
    live(model)
    live(model)
    model.person_decides(0, approve=False, who="console:jane")  # v1, the rollback target
    flow(model)
    model.manual_rollback(None, "cli:ops@example.com")
    flow(model)
    model.reconciler_tick()
    checked(model)


def test_a_version_approved_while_the_policy_is_invalid_is_released_once_it_is_fixed() -> None:
    model = life()
    model.register("good")
    deliver(model, "package", PENDING, 1)  # the gate approves
    model.deploy_invalid_policy()
    deliver(model, "package", APPROVED, 1)
    model.fix_policy()
    model.teardown()


def test_an_alarm_fired_in_the_watch_window_and_delivered_late_rolls_back() -> None:
    model = life()
    live(model)
    model.register("good")
    flow(model)  # v2 WATCHING
    model.alarm_fires("fraud-detection-prod-5xx")  # its event waits in the queue
    model.clock_moves(61)
    flow(model)
    model.teardown()


def test_a_replayed_approval_of_a_failed_release_does_not_start_it_again() -> None:
    model = life()
    model.register("broken-model")  # approved, fails its smoke tests
    flow(model)
    model.register("broken-model")
    flow(model)
    approved_v1 = next(i for i, e in enumerate(model.delivered) if e.status == APPROVED and e.subject.endswith("/1"))
    model.replay(approved_v1)
    flow(model)


def test_approvals_delivered_newest_first_leave_every_version_accounted_for() -> None:
    model = life()
    model.register("good")
    model.register("good")
    deliver(model, "package", PENDING, 1)
    deliver(model, "package", PENDING, 2)
    deliver(model, "package", APPROVED, 2)
    deliver(model, "package", APPROVED, 1)
    model.teardown()


def test_a_lost_registration_event_still_gets_the_version_decided() -> None:
    model = life()
    model.register("good")
    model.lose(index_of(model, "package", PENDING, 1))
    model.teardown()


def test_a_lost_approval_event_still_gets_the_version_released() -> None:
    model = life()
    model.register("good")
    deliver(model, "package", PENDING, 1)
    model.lose(index_of(model, "package", APPROVED, 1))
    model.teardown()


def test_a_lost_rejection_event_still_takes_the_version_out_of_production() -> None:
    model = life()
    live(model)
    live(model)
    model.person_decides(1, approve=False, who="slack:U024BE7LH")  # v2, live
    model.lose(index_of(model, "package", REJECTED, 2))
    model.reconciler_tick()
    checked(model)
    assert GROUP


def test_a_first_release_rejected_in_staging_never_reaches_production() -> None:
    model = life()
    model.register("good")
    model.person_decides(0, approve=True, who="slack:U024BE7LH")
    deliver(model, "package", PENDING, 1)
    deliver(model, "package", APPROVED, 1)
    model.endpoint_settles(STAGING, "in_service")
    model.person_decides(0, approve=False, who="slack:U024BE7LH")  # its event waits behind staging's
    model.teardown()
    assert PRODUCTION not in model.world.endpoints.endpoints


def test_a_lost_alarm_state_change_is_judged_by_its_own_time_when_it_comes_late() -> None:
    model = life()
    live(model)
    model.register("good")
    flow(model)  # v2 WATCHING
    model.alarm_fires("fraud-detection-prod-latency-p99")
    model.clock_moves(100)  # the window has ended; the event carries when the alarm changed state
    model.reconciler_tick()  # the window ends LIVE first: the late event must still roll it back
    flow(model)
    model.teardown()


def test_a_lost_registration_found_days_later_survives_a_fault_on_its_first_hand_off() -> None:
    model = life()
    model.register("good")
    model.clock_moves(2880)
    model.lose(0)
    model.aws_fault("store", "5xx")  # the gate's champion read, on the sweep's first try
    model.reconciler_tick()
    model.teardown()


def test_a_review_nobody_decides_is_reminded_once_then_rejected_once_even_on_replayed_ticks() -> None:
    model = life()
    live(model)
    model.register("borderline")  # the gate sends it to people
    flow(model)
    arn = next(arn for arn, version in model.world.registry.versions.items() if version.version == 2)
    assert model.world.registry.versions[arn].status == PENDING
    model.clock_moves(100)  # past half-time (the model's policy: 2.4 hours)
    model.reconciler_tick()
    model.reconciler_tick()  # a replayed tick
    model.clock_moves(61)
    model.aws_fault("registry", "5xx")  # the expiry's first attempt fails: nothing is half done
    model.reconciler_tick()
    model.reconciler_tick()
    model.reconciler_tick()
    flow(model)
    assert model.world.registry.versions[arn].status == REJECTED
    kinds = [sent.kind for sent in model.world.notifier.sent if sent.kind.startswith("review.")]
    assert kinds == ["review.reminder", "review.expired"]
    model.teardown()


def test_an_older_version_waiting_on_an_invalid_policy_is_superseded_on_record_by_a_newer_one() -> None:
    model = life()
    model.register("good")
    model.register("good")
    deliver(model, "package", PENDING, 1)
    deliver(model, "package", PENDING, 2)  # the gate approves both
    model.deploy_invalid_policy()
    deliver(model, "package", APPROVED, 1)  # waits, queued, until the policy is fixed
    deliver(model, "package", APPROVED, 2)  # takes its place in the queue
    checked(model)
    assert [(row.version, row.outcome) for row in model.world.store.rows.values()] == [(1, "SUPERSEDED")]
    model.teardown()


def test_approvals_the_sweep_finds_while_the_policy_is_invalid_leave_none_unrecorded() -> None:
    model = life()
    model.register("good")
    model.alarm_fires("fraud-detection-prod-5xx")
    model.register("good")
    model.clock_moves(20)
    model.reconciler_tick()  # the sweep hands both registrations to the gate: both approved
    model.lose(3)  # v1's Approved event
    model.deploy_invalid_policy()
    model.reconciler_tick()  # the sweep hands both approvals on once: v1 queued, then v2 in its place
    checked(model)
    model.teardown()


def test_a_release_superseded_as_its_smoke_tests_pass_counts_as_the_attempt_it_notified() -> None:
    model = life()
    model.register("good")
    model.register("good")
    model.team_switches_promotion(True)
    model.clock_moves(20)
    model.reconciler_tick()  # the registrations' events not delivered yet: the sweep gates both, approved
    model.reconciler_tick()  # v1 starts, v2 waits queued
    model.endpoint_settles(STAGING, "in_service")
    model.reconciler_tick()  # v1's smoke tests pass with v2 queued: v1 SUPERSEDED (notified), v2 starts
    checked(model)
    model.teardown()


def test_lifecycles_refused_at_every_end_of_a_release_are_written_again() -> None:
    model = life()
    live(model)
    model.register("good")
    model.aws_fault("lifecycles", "throttling")  # v2 STAGING's label
    flow(model)  # v2 WATCHING: its label and v1's Archived
    model.aws_fault("lifecycles", "access_denied")
    model.aws_fault("lifecycles", "5xx")
    model.manual_rollback(None, "cli:ops@example.com")  # v2 RolledBack, v1 Approved: both refused
    assert len(model.world.store.load(GROUP).lifecycles_owed) == 2
    assert model.world.faults.injected.total() == 3
    model.teardown()  # settled: nothing owed, every version's label what the state says
