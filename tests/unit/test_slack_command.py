"""/shepherd, pure and with fakes: the text parser, the form reader, and the bounds on what a command reads."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from urllib.parse import urlencode

import pytest

from chalicelib.release.state import Deployed, GroupState, HistoryRow, Release, Review, Rollout, Rules, Stage
from chalicelib.shared.errors import InvalidPolicyError, MalformedActionError
from chalicelib.shared.policy import Policy
from chalicelib.slack import signature
from chalicelib.slack.auth import Workspace
from chalicelib.slack.command import MAX_TEXT, Ask, BadAsk, Verb, parse_text, read_command
from chalicelib.slack.command_answers import history_answer, status_answer
from chalicelib.slack.command_service import MAX_USER_GROUPS, SlackCommandDeps, handle_command
from tests.fakes.policies import FakePolicies
from tests.fakes.slack import FakeUserGroups
from tests.support.paused import paused_state
from tests.support.policies import example_document, example_policy

NOW = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)
SECRET, TEAM, APP, ME = "s3cret", "T0TEAM", "A0APP", "U0ME0001"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", Ask(Verb.HELP)),
        ("  HELP ", Ask(Verb.HELP)),
        ("status fraud-detection-models", Ask(Verb.STATUS, "fraud-detection-models")),
        ("history Fraud-Models", Ask(Verb.HISTORY, "Fraud-Models")),
        ("pending", Ask(Verb.PENDING)),
    ],
)
def test_parses_each_subcommand(text: str, expected: Ask) -> None:
    assert parse_text(text) == expected


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("deploy prod", "unknown subcommand `deploy`"),
        ("status", "`status` takes one model package group"),
        ("status a b", "`status` takes one model package group"),
        ("pending now", "`pending` takes nothing after it"),
        ("history `<@U1>`", "is not a model package group name"),
        ("status " + "a" * 64, "is not a model package group name"),
        ("x" * (MAX_TEXT + 1), f"a /shepherd command is at most {MAX_TEXT}"),
    ],
)
def test_refuses_what_it_cannot_act_on_and_says_why(text: str, why: str) -> None:
    asked = parse_text(text)
    assert isinstance(asked, BadAsk) and why in asked.why


def test_an_echoed_word_carries_no_markup() -> None:
    asked = parse_text("<!channel>`*bold*`")
    assert isinstance(asked, BadAsk) and asked.why == "unknown subcommand `!channelbold`"


@pytest.mark.parametrize("body", [b"\xff\xfe", b"user_id=", b"a" * (64 * 1024 + 1), b"=&="])
def test_a_body_that_is_not_a_command_is_malformed(body: bytes) -> None:
    with pytest.raises(MalformedActionError):
        read_command(body)


@dataclass
class CountingReads:
    states_asked: list[int] = field(default_factory=list)
    waiting: int = 3  # which group (by number) has a review

    def state(self, group: str) -> GroupState:
        return GroupState(group)

    def states(self, groups: Sequence[str]) -> dict[str, GroupState]:
        assert len(groups) <= 100
        self.states_asked.append(len(groups))
        return {group: self._state(group) for group in groups}

    def recent_history(self, group: str, limit: int) -> list[HistoryRow]:
        return []

    def _state(self, group: str) -> GroupState:
        if group != f"group-{self.waiting:04d}":
            return GroupState(group)
        arn = f"arn:aws:sagemaker:us-east-1:123456789012:model-package/{group}/2"
        return GroupState(group, reviews=(Review(2, arn, NOW, NOW + timedelta(days=7), NOW),))


def deps(policies: FakePolicies, reads: CountingReads, user_groups: FakeUserGroups) -> SlackCommandDeps:
    return SlackCommandDeps(lambda: SECRET, Workspace(TEAM, APP), policies, user_groups, reads, lambda: NOW)


def command(text: str, user: str = ME) -> tuple[bytes, dict[str, str]]:
    body = urlencode({"user_id": user, "team_id": TEAM, "api_app_id": APP, "text": text}).encode()
    stamp = str(int(NOW.timestamp()))
    return body, {"x-slack-request-timestamp": stamp, "x-slack-signature": signature.signature(SECRET, stamp, body)}


def policy_for(group: str, **slack: list[str]) -> Policy:
    document = example_document()
    return example_policy(group=group, slack={**document["slack"], **slack})


def test_pending_over_250_groups_reads_three_batches_and_lists_what_waits() -> None:
    policies = FakePolicies({f"group-{n:04d}": policy_for(f"group-{n:04d}", approvers=[ME]) for n in range(250)})
    reads = CountingReads()
    answer = handle_command(*command("pending"), deps(policies, reads, FakeUserGroups()))
    assert reads.states_asked == [100, 100, 50]
    assert "group-0003 v2 awaits review" in str(answer["blocks"])


def test_pending_looks_up_at_most_five_user_groups_and_says_what_it_could_not_check() -> None:
    groups: dict[str, frozenset[str]] = {f"S0GROUP{n:03d}": frozenset() for n in range(20)}
    policies = FakePolicies(
        {
            f"group-{n:04d}": policy_for(f"group-{n:04d}", approvers=[], approver_groups=[f"S0GROUP{n:03d}"])
            for n in range(20)
        }
    )
    user_groups = FakeUserGroups(groups)
    answer = handle_command(*command("pending"), deps(policies, CountingReads(), user_groups))
    assert len(user_groups.asked) == MAX_USER_GROUPS
    assert "15 group(s) could not be checked for you" in answer["text"]


def test_a_group_with_an_invalid_policy_is_seen_by_nobody() -> None:
    policies = FakePolicies({"broken": InvalidPolicyError("broken.json does not pass the schema")})
    answer = handle_command(*command("status broken"), deps(policies, CountingReads(), FakeUserGroups()))
    assert answer["text"] == ":no_entry: No group `broken` that you may see."


def test_pending_stops_reading_policies_when_its_time_budget_is_spent() -> None:
    policies = FakePolicies({f"group-{n:04d}": policy_for(f"group-{n:04d}", approvers=[ME]) for n in range(50)})
    ticks = iter(range(1000))
    slow = replace(deps(policies, CountingReads(), FakeUserGroups()), elapsed=lambda: next(ticks) * 0.1)
    answer = handle_command(*command("pending"), slow)
    assert "35 group(s) could not be checked for you" in answer["text"]  # 15 read in the 1.5 s budget
    assert "group-0003 v2 awaits review" in str(answer["blocks"])


def test_status_says_the_live_version_is_watched_until_its_window_ends_not_that_a_release_is_in_flight() -> None:
    since = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)
    watching = Release(
        "g", 1, "arn:.../1", "gate", Stage.WATCHING, since, since, "m", "s", "p",
        watch_until=since + timedelta(hours=1), live_since=since,
    )  # fmt: skip
    live = Deployed(1, "arn:.../1", "p", "gate", since)
    text = status_answer(GroupState("g", release=watching, live=live))["blocks"][1]["text"]["text"]
    assert "*Production:* v1 since 2026-11-26 12:00 UTC, watched until 2026-11-26 13:00 UTC" in text
    assert "WATCHING" not in text and "Last release" not in text


def test_history_of_one_row_says_row_not_rows() -> None:
    row = HistoryRow("2026-11-26T12:00:00+00:00#v000001", 1, "arn:.../1", "gate", "LIVE")
    assert history_answer("g", [row])["text"] == "*g*: the latest 1 history row, newest first"


def test_a_paused_release_waits_for_people_until_its_deadline() -> None:
    live = Deployed(1, "arn:aws:sagemaker:us-east-1:123456789012:model-package/g/1", "g-v1-prod", "gate", NOW)
    state = paused_state(GroupState("g", live=live), 2, NOW)
    assert "g v2 awaits Continue or Roll back, until 2026-12-07 10:00 UTC" in str(status_answer(state)["blocks"])
    assert "*Last release:* g v2 PAUSED" in str(status_answer(state)["blocks"])


def test_status_of_a_progressive_step_says_where_since_when_and_how_it_was_judged() -> None:
    live = Deployed(1, "arn:aws:sagemaker:us-east-1:123456789012:model-package/g/1", "g-v1-prod", "gate", NOW)
    policy = json.dumps({"analysis": {"checks": [], "failure_limit": 1, "inconclusive_limit": 2}})
    state = paused_state(GroupState("g", live=live), 2, NOW, policy=policy)
    assert state.release is not None
    rollout = Rollout(step=1, step_since=NOW, failures=1, results=("FAIL: latency p99 300000 > 250000",))
    stepping = replace(state.release, stage=Stage.PRODUCTION, rules=Rules(progressive_steps=(5, 25, 100)))
    text = str(status_answer(replace(state, release=replace(stepping, rollout=rollout)))["blocks"])
    assert "*Rollout:* step 2/3: 25% to v2 since 2026-12-07 09:00 UTC" in text
    assert "last judgement: FAIL: latency p99 300000 &gt; 250000 (failures 1/1, no data 0/2)" in text
    shadow = replace(stepping, stage=Stage.SHADOW, rules=Rules(shadow_percent=20), rollout=Rollout())
    text = str(status_answer(replace(state, release=shadow))["blocks"])
    assert "*Rollout:* shadow test: 20% of requests copied to v2 since -; last judgement: none yet" in text
    assert "Rollout" not in str(status_answer(replace(state, release=replace(stepping, rules=Rules())))["blocks"])
    hostile = replace(stepping, rollout=Rollout(step=0, results=("FAIL: <!channel> p99 > 1",)))
    assert "last judgement: FAIL: &lt;!channel&gt; p99 &gt; 1" in str(status_answer(replace(state, release=hostile)))
