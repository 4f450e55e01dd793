"""Rollout hooks, pure: the payload, the signature a receiver verifies, reading answers, the retry budget."""

from __future__ import annotations

import hashlib
import hmac
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from chalicelib.hooks.answer import MAX_ANSWER_BYTES, MAX_DEPTH, MAX_REASON, HookResult, read_answer, refused
from chalicelib.hooks.payload import MAX_PAYLOAD_BYTES, hook_payload
from chalicelib.hooks.policy import MAX_RETRIES, MAX_TIMEOUT_SECONDS, HookTarget, hook_policy, worst_case_seconds
from chalicelib.hooks.record import ERROR, HALT, PROCEED
from chalicelib.hooks.service import with_retries
from chalicelib.hooks.signature import SIGNATURE_HEADER, TIMESTAMP_HEADER, signed_headers, verify
from chalicelib.release.state import Deployed, Release, Stage

T0 = datetime(2026, 12, 7, 10, 0, tzinfo=UTC)
SECRET = "8f14e45fceea167a5a36dedd4bea2543"


def release(group: str = "fraud-detection-models", arn: str = "arn:aws:sagemaker:us-east-1:1:package/7") -> Release:
    previous = Deployed(6, "arn:.../6", "cfg-v6", "gate", T0 - timedelta(days=1))
    deadline = T0 + timedelta(hours=1)
    return Release(group, 7, arn, "alice", Stage.PRODUCTION, T0, deadline, "m", "s", "p", previous=previous)


def test_payload_describes_the_release_and_nothing_secret() -> None:
    sent = json.loads(hook_payload("pre_rollout", release(), T0 + timedelta(minutes=12)))
    assert sent["hook"] == "pre_rollout"
    assert (sent["group"], sent["model_version"], sent["previous_version"]) == ("fraud-detection-models", 7, 6)
    assert (sent["stage"], sent["release_key"]) == ("PRODUCTION", release().key)
    assert sent["deadline"] == "2026-12-07T11:00:00+00:00"
    assert sent["sent_at"] == "2026-12-07T10:12:00+00:00"
    assert "policy" not in sent and "metrics" not in sent


def test_payload_stays_small_with_the_longest_names_aws_allows() -> None:
    longest = release(group="g" * 63, arn="arn:" + "a" * 2044)
    assert len(hook_payload("confirm_promotion", longest, T0)) < MAX_PAYLOAD_BYTES


def test_a_receiver_verifies_the_signature_with_the_documented_recipe() -> None:
    body = hook_payload("pre_rollout", release(), T0)
    headers = signed_headers(SECRET, 1_765_000_000, body)
    timestamp, given = headers[TIMESTAMP_HEADER], headers[SIGNATURE_HEADER]
    # docs/policy.md, "Verifying a request", written out independently of chalicelib.hooks.signature
    expected = "v1=" + hmac.new(SECRET.encode(), f"v1:{timestamp}:".encode() + body, hashlib.sha256).hexdigest()
    assert hmac.compare_digest(expected, given)
    assert verify(SECRET, timestamp, body, given, now=1_765_000_100)


@pytest.mark.parametrize(
    ("secret", "body", "now"),
    [
        ("another-secret", b"{}", 1_765_000_000),  # not our secret
        (SECRET, b'{"tampered":1}', 1_765_000_000),  # not the body that was signed
        (SECRET, b"{}", 1_765_000_301),  # stale: a replay
    ],
)
def test_verification_refuses_another_secret_a_changed_body_and_a_stale_timestamp(
    secret: str, body: bytes, now: int
) -> None:
    headers = signed_headers(SECRET, 1_765_000_000, b"{}")
    assert not verify(secret, headers[TIMESTAMP_HEADER], body, headers[SIGNATURE_HEADER], now)


@pytest.mark.parametrize(
    ("body", "outcome", "reason"),
    [
        (b'{"proceed": true}', PROCEED, ""),
        (b'{"proceed": true, "reason": "error budget fine"}', PROCEED, "error budget fine"),
        (b'{"proceed": false, "reason": "change freeze"}', HALT, "change freeze"),
        (b'{"proceed": "yes"}', HALT, 'the answer did not say "proceed": true'),
        (b"{}", HALT, 'the answer did not say "proceed": true'),
        (b"[true]", HALT, 'answer is not a JSON object with "proceed"'),
        (b"OK", HALT, "answer is not JSON"),
        (b"", HALT, "answer is not JSON"),
        (b"\xff\xfe", HALT, "answer is not JSON"),
    ],
)
def test_only_an_explicit_proceed_true_goes_on(body: bytes, outcome: str, reason: str) -> None:
    assert read_answer(body) == HookResult(outcome, reason)


def test_a_huge_answer_halts_saying_so() -> None:
    huge = b'{"proceed": true, "pad": "' + b"x" * MAX_ANSWER_BYTES + b'"}'
    result = read_answer(huge)
    assert result.outcome == HALT and "larger than" in result.reason


@pytest.mark.parametrize("depth", [MAX_DEPTH + 1, 5000, 60_000])
def test_a_deeply_nested_answer_halts_and_never_crashes(depth: int) -> None:
    nested = b'{"proceed": true, "x": ' + b"[" * depth + b"]" * depth + b"}"
    result = read_answer(nested[:MAX_ANSWER_BYTES])
    assert result.outcome == HALT
    assert "nested deeper" in result.reason or "not JSON" in result.reason


def test_the_receivers_reason_is_clipped_and_made_printable() -> None:
    answer = json.dumps({"proceed": False, "reason": "no\nway " + "z" * 5000}).encode()
    reason = read_answer(answer).reason
    assert len(reason) == MAX_REASON and reason.startswith("no way") and reason.endswith("…")


@pytest.mark.parametrize(("status", "retryable"), [(500, True), (503, True), (429, True), (404, False), (302, False)])
def test_a_5xx_or_429_is_asked_again_any_other_status_is_a_no(status: int, retryable: bool) -> None:
    result = refused(status)
    assert result.retryable is retryable and f"HTTP {status}" in result.reason


def test_retries_pause_longer_each_time_and_stop_at_the_budget() -> None:
    answers = iter([HookResult(ERROR, "HTTP 503", True)] * 5)
    pauses: list[float] = []
    result, attempts = with_retries(lambda: next(answers), 2, pauses.append)
    assert (result.outcome, attempts, pauses) == (ERROR, 3, [0.5, 1.0])


def test_retries_stop_at_the_first_answer_that_is_not_retryable() -> None:
    answers = iter([HookResult(ERROR, "timeout", True), HookResult(PROCEED), HookResult(ERROR, "x", True)])
    pauses: list[float] = []
    assert with_retries(lambda: next(answers), 2, pauses.append) == (HookResult(PROCEED), 2)
    assert pauses == [0.5]


def test_a_halt_is_never_asked_again() -> None:
    calls: list[int] = []

    def attempt() -> HookResult:
        calls.append(1)
        return HookResult(HALT, "HTTP 403")

    assert with_retries(attempt, 2, lambda _: None)[1] == 1 and len(calls) == 1


def test_two_hooks_at_their_limits_fit_in_a_release_function_run() -> None:
    """A confirm and a post hook run in one invocation; the release functions have Chalice's 60 s."""
    config = json.loads((Path(__file__).parents[2] / ".chalice" / "config.json").read_text())
    for stage in config["stages"].values():
        for name in ("release_endpoint", "release_alarm", "release_reconcile", "api_handler"):
            assert "lambda_timeout" not in stage["lambda_functions"][name]  # so Chalice's default, 60 s
    slowest = HookTarget("confirm_promotion", url="https://x", timeout_seconds=MAX_TIMEOUT_SECONDS, retries=MAX_RETRIES)
    assert 2 * worst_case_seconds(slowest) < 60


def test_the_policy_section_becomes_hook_targets_with_defaults() -> None:
    hooks = hook_policy(
        {
            "hooks": {
                "pre_rollout": {"lambda_arn": "arn:aws:lambda:us-east-1:123456789012:function:pre"},
                "post_rollout": {"url": "https://x.example/done", "secret": "ssm:/h", "retries": 0},
            }
        }
    )
    assert hooks is not None and hooks.names == ("pre_rollout", "post_rollout")
    assert hooks.pre_rollout == HookTarget("pre_rollout", "arn:aws:lambda:us-east-1:123456789012:function:pre")
    assert hooks.post_rollout is not None and (hooks.post_rollout.timeout_seconds, hooks.post_rollout.retries) == (5, 0)
    assert hook_policy({}) is None and hook_policy({"hooks": {}}) is None


@pytest.mark.parametrize(("timestamp", "given"), [("9" * 5000, "v1=00"), ("1765000000", "v1=ü∂"), ("-1", "v1=00")])
def test_verification_refuses_hostile_headers_without_raising(timestamp: str, given: str) -> None:
    assert not verify(SECRET, timestamp, b"{}", given, now=1_765_000_000)
