"""Four eyes through the Slack service with in-memory fakes: any sequence of clicks (approvers, the registrant,
a group member, a stranger; Approve, Approve again, Reject with its reason) ends as the counting rules say."""

from __future__ import annotations

import itertools
import json
from dataclasses import dataclass, field

from hypothesis import given, settings
from hypothesis import strategies as st

from chalicelib.shared.model_version import APPROVED, PENDING, REJECTED
from chalicelib.shared.policy import Policy
from chalicelib.slack.auth import Workspace
from chalicelib.slack.deps import SlackActionDeps
from chalicelib.slack.result import ClickOutcome
from chalicelib.slack.service import handle_action
from chalicelib.slack.signature import signature
from tests.fakes.gate import FakeRegistry
from tests.fakes.policies import FakePolicies
from tests.fakes.slack import (
    APP,
    ARN,
    GROUP,
    NOW,
    SECRET,
    TEAM,
    FakeLocks,
    FakePauses,
    FakePromotions,
    FakeRegates,
    FakeResponder,
    FakeRetries,
    FakeRollbacks,
    FakeTallies,
    FakeUserGroups,
    FakeUsers,
    FakeViews,
    click_body,
    pending_version,
    submission_body,
)

APPROVERS = ("U0JANE", "U0BOB", "U0ANN")
LEAD, STRANGER = "U0LEAD", "U0EVE"  # LEAD approves as a member of S0LEADS
PEOPLE = (*APPROVERS, LEAD, STRANGER)
REGISTRANT_EMAIL = "u0jane@example.com"


@dataclass
class Slack:
    required: int
    registered_by: str | None
    registry: FakeRegistry = field(default_factory=FakeRegistry)
    tallies: FakeTallies = field(default_factory=FakeTallies)
    users: FakeUsers = field(default_factory=lambda: FakeUsers({p: f"{p.lower()}@example.com" for p in PEOPLE}))
    views: FakeViews = field(default_factory=FakeViews)
    responder: FakeResponder = field(default_factory=FakeResponder)

    def __post_init__(self) -> None:
        metadata = {"registered_by": self.registered_by} if self.registered_by else {}
        self.registry.add(pending_version(metadata=metadata))
        slack = {"approvers": list(APPROVERS), "approver_groups": ["S0LEADS"], "required_approvals": self.required}
        policy = Policy.from_document({"group": GROUP, "floors": {}, "approval": {}, "slack": slack})
        ids = itertools.count(1)
        self.deps = SlackActionDeps(
            signing_secret=lambda: SECRET,
            workspace=Workspace(TEAM, APP),
            registry=self.registry,
            policies=FakePolicies({GROUP: policy}),
            locks=FakeLocks(),
            responder=self.responder,
            user_groups=FakeUserGroups({"S0LEADS": frozenset({LEAD})}),
            rollbacks=FakeRollbacks(),
            retries=FakeRetries(),
            promotions=FakePromotions(),
            pauses=FakePauses(),
            regates=FakeRegates(),
            views=self.views,
            tallies=self.tallies,
            users=self.users,
            clock=lambda: NOW,
            new_id=lambda: f"claim-{next(ids)}",
        )

    def post(self, body: bytes) -> ClickOutcome:
        stamp = str(int(NOW.timestamp()))
        headers = {"x-slack-request-timestamp": stamp, "x-slack-signature": signature(SECRET, stamp, body)}
        return handle_action(body, headers, self.deps).outcome

    def approve(self, user: str) -> ClickOutcome:
        return self.post(click_body("shepherd_approve", user=user))

    def reject(self, user: str) -> ClickOutcome:
        if self.post(click_body("shepherd_reject", user=user)) is not ClickOutcome.ASKED:
            return ClickOutcome.REFUSED
        return self.post(submission_body(self.views.opened[-1][1], user, "not good enough"))

    @property
    def status(self) -> str:
        return self.registry.versions[ARN].status


clicks = st.lists(st.tuples(st.sampled_from(("approve", "reject")), st.sampled_from(PEOPLE)), max_size=12)


@settings(max_examples=150, deadline=None)
@given(clicks=clicks, required=st.integers(1, 3), registered=st.booleans())
def test_any_sequence_of_clicks_ends_as_the_counting_rules_say(
    clicks: list[tuple[str, str]], required: int, registered: bool
) -> None:
    slack = Slack(required, REGISTRANT_EMAIL if registered else None)
    expected, counted = PENDING, set()
    for action, user in clicks:
        getattr(slack, action)(user)
        may_act = user != STRANGER
        if expected == PENDING and may_act and action == "reject":
            expected = REJECTED
        elif expected == PENDING and may_act and not (registered and user == "U0JANE"):
            counted.add(user)
            expected = APPROVED if len(counted) >= required else PENDING
        assert slack.status == expected, (clicks, required, registered)
    assert slack.registry.calls.count("record_decision") == (expected != PENDING)


def test_one_lookup_of_the_clicker_per_click_and_none_without_a_registrant() -> None:
    slack = Slack(2, REGISTRANT_EMAIL)
    slack.approve("U0BOB")
    slack.approve("U0BOB")
    assert slack.users.asked == ["U0BOB", "U0BOB"]  # per click, never cached across clicks
    unregistered = Slack(2, None)
    unregistered.approve("U0BOB")
    assert unregistered.users.asked == []


def test_a_tally_that_cannot_be_written_counts_nothing_and_says_try_again() -> None:
    slack = Slack(2, None)
    slack.tallies.error = ConnectionError("throttled")
    assert slack.approve("U0BOB") is ClickOutcome.FAILED
    assert "try again" in slack.responder.texts[-1]
    slack.tallies.error = None
    assert slack.approve("U0BOB") is ClickOutcome.COUNTED
    assert slack.approve("U0ANN") is ClickOutcome.DONE


def promote(slack: Slack, user: str) -> ClickOutcome:
    return slack.post(click_body("shepherd_promote", value=json.dumps({"group": GROUP, "version": 3}), user=user))


def test_a_promotion_needs_distinct_approvers_and_never_the_registrants() -> None:
    slack = Slack(2, REGISTRANT_EMAIL)
    promotions = slack.deps.promotions
    assert isinstance(promotions, FakePromotions)
    assert promote(slack, "U0JANE") is ClickOutcome.NOT_COUNTED
    assert "you (u0jane@example.com) registered this version" in slack.responder.texts[-1]
    assert promote(slack, "U0BOB") is ClickOutcome.COUNTED
    assert promote(slack, "U0BOB") is ClickOutcome.COUNTED  # again: still one, told privately
    assert promotions.calls == []
    assert promote(slack, "U0ANN") is ClickOutcome.DONE
    assert promotions.calls == [
        ("promote", GROUP, 3, "slack:u0ann (U0ANN)", "2 approvals: u0ann (U0ANN), u0bob (U0BOB)")
    ]


def test_an_approval_for_a_promotion_no_longer_awaited_counts_nothing() -> None:
    slack = Slack(2, None)
    promotions = slack.deps.promotions
    assert isinstance(promotions, FakePromotions)
    promotions.candidate = ""  # expired, stopped or promoted meanwhile
    assert promote(slack, "U0BOB") is ClickOutcome.CHANGED_NOTHING
    assert "Not promoted: nothing in fraud-detection-models awaits promotion" in slack.responder.texts[-1]
    assert slack.tallies.items == {}


def test_users_info_failing_counts_nothing_and_says_why() -> None:
    slack = Slack(1, REGISTRANT_EMAIL)
    slack.users.error = RuntimeError("ratelimited")
    assert slack.approve("U0BOB") is ClickOutcome.NOT_COUNTED
    assert "users.info failed (RuntimeError)" in slack.responder.texts[-1]
    assert slack.status == PENDING


def continue_paused(slack: Slack, user: str, reason: str = "exporter back") -> ClickOutcome:
    """Continue on a paused v3's message: the click asks why, the submission is what counts."""
    value = json.dumps({"group": GROUP, "version": 3})
    if slack.post(click_body("shepherd_continue", value=value, user=user)) is not ClickOutcome.ASKED:
        return ClickOutcome.REFUSED
    return slack.post(submission_body(slack.views.opened[-1][1], user, reason))


def test_a_continue_needs_distinct_approvers_never_the_registrants_and_keeps_the_buttons() -> None:
    slack = Slack(2, REGISTRANT_EMAIL)
    pauses = slack.deps.pauses
    assert isinstance(pauses, FakePauses)
    assert continue_paused(slack, "U0JANE") is ClickOutcome.NOT_COUNTED
    assert "you (u0jane@example.com) registered this version" in slack.responder.texts[-1]
    assert continue_paused(slack, "U0BOB") is ClickOutcome.COUNTED
    assert continue_paused(slack, "U0BOB") is ClickOutcome.COUNTED  # again: still one, told privately
    assert "Continued so far (1 of 2): u0bob (U0BOB). 1 more Continue needed." in slack.responder.texts[-2]
    assert all(message.get("replace_original") is not True for _, message in slack.responder.posts)
    assert pauses.calls == []
    assert continue_paused(slack, "U0ANN", "seen the dashboards") is ClickOutcome.DONE
    assert pauses.calls == [
        (
            "continue",
            GROUP,
            3,
            "slack:u0ann (U0ANN)",
            "seen the dashboards (2 approvals: u0ann (U0ANN), u0bob (U0BOB))",
        )
    ]


def test_a_roll_back_of_a_paused_release_needs_one_approver() -> None:
    slack = Slack(2, None)
    pauses = slack.deps.pauses
    assert isinstance(pauses, FakePauses)
    value = json.dumps({"group": GROUP, "version": 3})
    assert slack.post(click_body("shepherd_paused_rollback", value=value, user="U0BOB")) is ClickOutcome.ASKED
    assert slack.post(submission_body(slack.views.opened[-1][1], "U0BOB", "no data")) is ClickOutcome.DONE
    assert pauses.calls == [("roll_back", GROUP, 3, "slack:u0bob (U0BOB)", "no data")]
