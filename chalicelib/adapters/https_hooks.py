"""Hooks that are HTTPS URLs: the payload POSTed as JSON, signed (chalicelib.hooks.signature), one attempt.

http.client, not a new dependency: one POST needs nothing more, the Lambda package stays small, and its
socket is ours to give the time left before each read, so a receiver that drips its answer is cut off at
the hook's timeout like one that never answers. Redirects are not followed (a signed POST goes where the
policy says, or nowhere); TLS certificates are verified.
"""

from __future__ import annotations

import http.client
import socket
import ssl
import time
from collections.abc import Callable
from urllib.parse import SplitResult, urlsplit

from chalicelib.hooks.answer import MAX_ANSWER_BYTES, HookResult, clipped, read_answer, refused
from chalicelib.hooks.policy import HookTarget
from chalicelib.hooks.record import ERROR, HALT
from chalicelib.hooks.signature import signed_headers

LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1"})
CHUNK = 16 * 1024


class HttpsHooks:
    def __init__(
        self,
        secrets: Callable[[str], str],
        loopback_http: bool = False,
        clock: Callable[[], float] = time.time,
    ) -> None:
        """`secrets(reference)`: the signing secret. `loopback_http`: plain http to this machine is allowed
        (tests and the local stack only; the policy schema accepts https alone)."""
        self._secrets = secrets
        self._loopback_http = loopback_http
        self._clock = clock
        self._tls = ssl.create_default_context()

    def call(self, target: HookTarget, body: bytes) -> HookResult:
        assert target.url is not None and target.secret is not None
        url = urlsplit(target.url)
        if not self._allowed(url):
            return HookResult(HALT, "the hook's URL is not https")
        headers = signed_headers(self._secrets(target.secret), int(self._clock()), body)
        deadline = time.monotonic() + target.timeout_seconds
        connection = self._connection(url, target.timeout_seconds)
        try:
            return _post(connection, url, body, headers, deadline)
        except TimeoutError:
            return HookResult(ERROR, f"no answer within {target.timeout_seconds} s", retryable=True)
        except OSError as error:  # refused, unresolvable, a certificate that does not verify
            return HookResult(ERROR, clipped(f"cannot reach it: {type(error).__name__}: {error}"))
        except http.client.HTTPException as error:  # the answer broke off, or is not HTTP
            return HookResult(ERROR, clipped(f"the answer broke off: {type(error).__name__}"), retryable=True)
        finally:
            connection.close()

    def _allowed(self, url: SplitResult) -> bool:
        if url.scheme == "https" and url.hostname:
            return True
        return self._loopback_http and url.scheme == "http" and url.hostname in LOOPBACK

    def _connection(self, url: SplitResult, timeout: int) -> http.client.HTTPConnection:
        assert url.hostname is not None
        if url.scheme == "https":
            return http.client.HTTPSConnection(url.hostname, url.port, timeout=timeout, context=self._tls)
        return http.client.HTTPConnection(url.hostname, url.port, timeout=timeout)


def _post(
    connection: http.client.HTTPConnection, url: SplitResult, body: bytes, headers: dict[str, str], deadline: float
) -> HookResult:
    connection.connect()
    sock = connection.sock  # kept: a response that closes the connection takes it from `connection`
    assert sock is not None
    _time_left(sock, deadline)
    path = (url.path or "/") + (f"?{url.query}" if url.query else "")
    connection.request("POST", path, body=body, headers=headers)
    _time_left(sock, deadline)
    response = connection.getresponse()
    if not 200 <= response.status < 300:
        return refused(response.status)
    answer = b""
    while len(answer) <= MAX_ANSWER_BYTES:
        _time_left(sock, deadline)
        chunk = response.read1(CHUNK)
        if not chunk:
            break
        answer += chunk
    return read_answer(answer)


def _time_left(sock: socket.socket, deadline: float) -> None:
    """The socket's next wait may last only what is left of the hook's timeout."""
    left = deadline - time.monotonic()
    if left <= 0:
        raise TimeoutError
    sock.settimeout(left)
