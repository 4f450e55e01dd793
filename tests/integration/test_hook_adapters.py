"""The rollout hooks' adapters: HTTPS against a server on loopback (2xx, 4xx, 5xx, slow, dripping, huge,
redirects); Lambda against moto's docker-free Lambda (its answers queued: it runs no code) and, for what moto
cannot answer (a function error, throttling, a timeout, a missing function: moto's answers any name), botocore's
Stubber; the secret from moto."""

from __future__ import annotations

import contextlib
import io
import json
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import boto3
import pytest
from botocore.exceptions import ReadTimeoutError
from botocore.response import StreamingBody
from botocore.stub import Stubber

from chalicelib.adapters.aws import SessionClients
from chalicelib.adapters.https_hooks import HttpsHooks
from chalicelib.adapters.lambda_hooks import LambdaHooks
from chalicelib.adapters.secrets import hook_secret_loader
from chalicelib.bootstrap import Container
from chalicelib.hooks.answer import MAX_ANSWER_BYTES, HookResult
from chalicelib.hooks.policy import HookPolicy, HookTarget
from chalicelib.hooks.ports import RoutedHooks
from chalicelib.hooks.record import ERROR, HALT, PROCEED
from chalicelib.hooks.service import ask, with_retries
from chalicelib.hooks.signature import SIGNATURE_HEADER, TIMESTAMP_HEADER, verify
from chalicelib.release.state import Release, Stage
from chalicelib.shared.errors import ConfigurationError
from tests.fakes.release import memory_deps
from tests.support.moto_helpers import docker_free_function

SECRET = "hook-signing-secret"
FUNCTION = "arn:aws:lambda:us-east-1:123456789012:function:fraud-checks"
BODY = b'{"hook":"pre_rollout","model_version":7}'
NOW = 1_765_000_000


@dataclass
class Receiver:
    """A hook receiver on 127.0.0.1: what it answers per path, and every request it got."""

    requests: list[tuple[str, dict[str, str], bytes]] = field(default_factory=list)
    server: ThreadingHTTPServer | None = None

    def url(self, path: str) -> str:
        assert self.server is not None
        return f"http://127.0.0.1:{self.server.server_address[1]}{path}"

    def count(self, path: str) -> int:
        return sum(1 for got, _, _ in self.requests if got == path)


ANSWERS: dict[str, tuple[int, bytes]] = {
    "/proceed": (200, b'{"proceed": true, "reason": "all checks green"}'),
    "/halt": (200, b'{"proceed": false, "reason": "change freeze"}'),
    "/empty": (204, b""),
    "/forbidden": (403, b'{"proceed": true}'),
    "/broken": (503, b"upstream down"),
    "/redirect": (302, b""),
    "/deep": (200, b'{"proceed": true, "x": ' + b"[" * 100 + b"]" * 100 + b"}"),
}


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    found = Receiver()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            found.requests.append((self.path, dict(self.headers.items()), body))
            if self.path == "/slow":
                time.sleep(1.5)
            if self.path == "/drip":
                return self._drip()
            if self.path == "/huge":
                return self._answer(200, b'{"proceed": true, "pad": "' + b"x" * (4 * MAX_ANSWER_BYTES) + b'"}')
            self._answer(*ANSWERS.get(self.path, (200, b'{"proceed": true}')))

        def _answer(self, status: int, body: bytes) -> None:
            self.send_response(status)
            if status == 302:
                self.send_header("Location", "/proceed")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):  # the caller stopped reading a huge answer
                self.wfile.write(body)

        def _drip(self) -> None:
            """Headers at once, then the body a byte every 0.25 s: each read is quick, the answer never ends."""
            self.send_response(200)
            self.send_header("Content-Length", "1000")
            self.end_headers()
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                for _ in range(12):
                    self.wfile.write(b" ")
                    self.wfile.flush()
                    time.sleep(0.25)

        def log_message(self, *args: Any) -> None:
            return None

    found.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=found.server.serve_forever, daemon=True).start()
    yield found
    found.server.shutdown()
    found.server.server_close()


def https_hooks(secrets: Any = None) -> HttpsHooks:
    return HttpsHooks(secrets or (lambda reference: SECRET), loopback_http=True, clock=lambda: NOW)


def target(url: str, timeout: int = 5, retries: int = 1) -> HookTarget:
    return HookTarget("pre_rollout", url=url, secret="hooks/secret", timeout_seconds=timeout, retries=retries)


def test_a_2xx_proceed_goes_on_and_the_request_is_signed_as_documented(receiver: Receiver) -> None:
    result = https_hooks().call(target(receiver.url("/proceed")), BODY)
    assert result == HookResult(PROCEED, "all checks green")
    [(_, headers, body)] = receiver.requests
    assert body == BODY and headers["Content-Type"] == "application/json"
    assert verify(SECRET, headers[TIMESTAMP_HEADER], body, headers[SIGNATURE_HEADER], now=NOW + 5)


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/halt", HookResult(HALT, "change freeze")),
        ("/empty", HookResult(HALT, "answer is not JSON")),
        ("/forbidden", HookResult(HALT, "answered HTTP 403")),
        ("/redirect", HookResult(HALT, "answered HTTP 302")),
        ("/broken", HookResult(ERROR, "answered HTTP 503", retryable=True)),
    ],
)
def test_anything_but_a_proceed_halts_and_only_a_5xx_is_retryable(
    receiver: Receiver, path: str, expected: HookResult
) -> None:
    assert https_hooks().call(target(receiver.url(path)), BODY) == expected
    assert receiver.count("/proceed") == 0  # a redirect is not followed


def test_a_huge_or_deeply_nested_answer_halts_with_a_clear_reason(receiver: Receiver) -> None:
    huge = https_hooks().call(target(receiver.url("/huge")), BODY)
    assert huge == HookResult(HALT, f"answer larger than {MAX_ANSWER_BYTES} bytes")
    deep = https_hooks().call(target(receiver.url("/deep")), BODY)
    assert deep.outcome == HALT and "nested deeper" in deep.reason


def test_a_slow_receiver_times_out_and_is_retryable(receiver: Receiver) -> None:
    started = time.perf_counter()
    result = https_hooks().call(target(receiver.url("/slow"), timeout=1), BODY)
    assert result == HookResult(ERROR, "no answer within 1 s", retryable=True)
    assert time.perf_counter() - started < 1.45


def test_a_receiver_that_drips_its_answer_is_cut_off_at_the_timeout(receiver: Receiver) -> None:
    started = time.perf_counter()
    result = https_hooks().call(target(receiver.url("/drip"), timeout=1), BODY)
    assert result == HookResult(ERROR, "no answer within 1 s", retryable=True)
    assert time.perf_counter() - started < 1.3


def test_a_5xx_is_asked_again_within_the_retries_then_halts(receiver: Receiver) -> None:
    pauses: list[float] = []
    hooks = https_hooks()
    result, attempts = with_retries(
        lambda: hooks.call(target(receiver.url("/broken"), retries=2), BODY), 2, pauses.append
    )
    assert (result.outcome, attempts, receiver.count("/broken"), pauses) == (ERROR, 3, 3, [0.5, 1.0])


def test_nothing_listening_is_an_error_without_retry() -> None:
    result = https_hooks().call(target("http://127.0.0.1:9/"), BODY)
    assert result.outcome == ERROR and not result.retryable and "cannot reach it" in result.reason


@pytest.mark.parametrize("url", ["http://checks.example.com/x", "ftp://127.0.0.1/x"])
def test_only_https_is_called_and_plain_http_only_on_loopback_when_allowed(url: str) -> None:
    assert HttpsHooks(lambda _: SECRET).call(target(url), BODY) == HookResult(HALT, "the hook's URL is not https")


def test_plain_http_on_loopback_is_refused_unless_allowed(receiver: Receiver) -> None:
    refused = HttpsHooks(lambda _: SECRET).call(target(receiver.url("/proceed")), BODY)
    assert refused.outcome == HALT and receiver.requests == []


def test_the_signing_secret_comes_from_the_reference_the_policy_names(aws: None, receiver: Receiver) -> None:
    boto3.client("secretsmanager").create_secret(Name="hooks/fraud", SecretString=json.dumps({"signing_secret": "s1"}))
    boto3.client("ssm").put_parameter(Name="/hooks/fraud", Type="SecureString", Value='{"signing_secret": "s2"}')
    load = hook_secret_loader(boto3.client)
    assert (load("hooks/fraud"), load("ssm:/hooks/fraud")) == ("s1", "s2")
    hooks = HttpsHooks(load, loopback_http=True, clock=lambda: NOW)
    hooks.call(replace(target(receiver.url("/proceed")), secret="ssm:/hooks/fraud"), BODY)
    [(_, headers, _)] = receiver.requests
    assert verify("s2", headers[TIMESTAMP_HEADER], BODY, headers[SIGNATURE_HEADER], now=NOW)


def test_an_unreadable_secret_halts_the_hook_saying_so_without_a_request(receiver: Receiver) -> None:
    def no_secret(reference: str) -> str:
        raise ConfigurationError(f"cannot read secret {reference}: ResourceNotFoundException")

    deps = replace(memory_deps("g"), hooks=https_hooks(no_secret), sleep=lambda _: None)
    t0 = datetime(2026, 12, 7, tzinfo=UTC)
    release = Release("g", 2, "arn:.../2", "gate", Stage.PRODUCTION, t0, t0, "m", "s", "p")
    answered = ask("pre_rollout", release, HookPolicy(pre_rollout=target(receiver.url("/proceed"))), deps)
    assert answered.record.outcome == ERROR and "cannot read secret hooks/secret" in answered.record.reason
    assert receiver.requests == []


# --- Lambda ---------------------------------------------------------------------------------------


@pytest.fixture
def stubbed() -> Iterator[tuple[Any, Stubber]]:
    client = boto3.client("lambda", region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="x")
    with Stubber(client) as stubber:
        yield client, stubber
        stubber.assert_no_pending_responses()


def lambda_target() -> HookTarget:
    return HookTarget("confirm_promotion", lambda_arn=FUNCTION, timeout_seconds=3)


def invoked(payload: bytes, **extra: Any) -> dict[str, Any]:
    return {"StatusCode": 200, "Payload": StreamingBody(io.BytesIO(payload), len(payload)), **extra}


EXPECTED = {"FunctionName": FUNCTION, "InvocationType": "RequestResponse", "Payload": BODY}


def test_a_function_answering_proceed_goes_on(stubbed: tuple[Any, Stubber]) -> None:
    client, stubber = stubbed
    stubber.add_response("invoke", invoked(b'{"proceed": true}'), EXPECTED)
    timeouts: list[int] = []

    def client_for(seconds: int) -> Any:
        timeouts.append(seconds)
        return client

    hooks = LambdaHooks(client_for)
    assert hooks.call(lambda_target(), BODY) == HookResult(PROCEED)
    assert timeouts == [3]  # the client is the hook's timeout's


def test_a_function_error_halts_with_its_message(stubbed: tuple[Any, Stubber]) -> None:
    client, stubber = stubbed
    failure = json.dumps({"errorMessage": "KeyError: 'model_version'", "errorType": "KeyError"}).encode()
    stubber.add_response("invoke", invoked(failure, FunctionError="Unhandled"), EXPECTED)
    result = LambdaHooks(lambda _: client).call(lambda_target(), BODY)
    assert result == HookResult(HALT, "the function failed (Unhandled): KeyError: 'model_version'")


def test_a_function_answering_anything_else_or_too_much_halts(stubbed: tuple[Any, Stubber]) -> None:
    client, stubber = stubbed
    stubber.add_response("invoke", invoked(b"null"), EXPECTED)
    stubber.add_response("invoke", invoked(b'"' + b"x" * (2 * MAX_ANSWER_BYTES) + b'"'), EXPECTED)
    hooks = LambdaHooks(lambda _: client)
    assert hooks.call(lambda_target(), BODY).outcome == HALT
    assert "larger than" in hooks.call(lambda_target(), BODY).reason


def test_throttling_is_retried_within_the_budget_a_missing_function_is_not(stubbed: tuple[Any, Stubber]) -> None:
    client, stubber = stubbed
    stubber.add_client_error("invoke", "TooManyRequestsException", "Rate exceeded", 429, expected_params=EXPECTED)
    stubber.add_response("invoke", invoked(b'{"proceed": true}'), EXPECTED)
    stubber.add_client_error("invoke", "ResourceNotFoundException", "Function not found", 404, expected_params=EXPECTED)
    hooks, pauses = LambdaHooks(lambda _: client), []  # type: ignore[var-annotated]
    assert with_retries(lambda: hooks.call(lambda_target(), BODY), 1, pauses.append) == (HookResult(PROCEED), 2)
    missing = with_retries(lambda: hooks.call(lambda_target(), BODY), 2, pauses.append)
    assert missing[0].outcome == ERROR and "ResourceNotFoundException" in missing[0].reason and missing[1] == 1


def test_a_function_that_does_not_answer_in_time_is_retryable() -> None:
    client = boto3.client("lambda", region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="x")

    def no_answer(**_: Any) -> None:
        raise ReadTimeoutError(endpoint_url="https://lambda.us-east-1.amazonaws.com")

    client.meta.events.register_first("before-send.lambda.Invoke", no_answer)
    result = LambdaHooks(lambda _: client).call(lambda_target(), BODY)
    assert result == HookResult(ERROR, "no answer within 3 s", retryable=True)


def test_the_hooks_lambda_client_waits_the_hooks_timeout_and_leaves_retries_to_the_runner(aws: None) -> None:
    client = SessionClients().timed("lambda", 3)
    assert (client.meta.config.read_timeout, client.meta.config.connect_timeout) == (3, 3)
    assert client.meta.config.retries["total_max_attempts"] == 1


def test_the_container_builds_both_kinds_of_hooks(aws: None) -> None:
    def clients(service: str) -> Any:
        return boto3.client(service)  # type: ignore[call-overload]  # a name known only at run time

    hooks = Container(client_factory=clients).hooks
    assert isinstance(hooks, RoutedHooks)


@pytest.fixture
def moto_function() -> Iterator[str]:
    with docker_free_function("fraud-checks") as arn:
        yield arn


def moto_answers(*answers: str) -> None:
    from moto.moto_api._internal.models import moto_api_backend

    for answer in answers:
        moto_api_backend.set_lambda_simple_result(answer, "123456789012", "us-east-1")


def test_a_moto_function_is_invoked_with_the_payload_and_its_answer_read(moto_function: str) -> None:
    hooks = LambdaHooks(lambda _: boto3.client("lambda"))
    moto_answers('{"proceed": true, "reason": "canary KPIs fine"}', '{"proceed": false, "reason": "freeze"}')
    target = replace(lambda_target(), lambda_arn=moto_function)
    assert hooks.call(target, BODY) == HookResult(PROCEED, "canary KPIs fine")
    assert hooks.call(target, BODY) == HookResult(HALT, "freeze")
    assert hooks.call(target, BODY).reason == 'the answer did not say "proceed": true'  # the event echoed back
