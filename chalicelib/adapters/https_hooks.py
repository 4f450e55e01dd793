"""Hooks that are HTTPS URLs: the payload POSTed as JSON, signed (chalicelib.hooks.signature), one attempt.

urllib, not a new dependency: one POST with a timeout needs nothing more, and the Lambda package stays
small. Redirects are not followed (a signed POST is sent where the policy says, or nowhere).
"""

from __future__ import annotations

import time
import urllib.request
from collections.abc import Callable
from typing import Any
from urllib.error import HTTPError, URLError
from urllib.parse import urlsplit

from chalicelib.hooks.answer import MAX_ANSWER_BYTES, HookResult, clipped, read_answer, refused
from chalicelib.hooks.policy import HookTarget
from chalicelib.hooks.record import ERROR, HALT
from chalicelib.hooks.signature import signed_headers

LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1"})


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None  # the 3xx is then raised as an HTTPError: the receiver's no


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
        self._opener = urllib.request.build_opener(_NoRedirects)

    def call(self, target: HookTarget, body: bytes) -> HookResult:
        assert target.url is not None and target.secret is not None
        if not self._allowed(target.url):
            return HookResult(HALT, "the hook's URL is not https")
        headers = signed_headers(self._secrets(target.secret), int(self._clock()), body)
        request = urllib.request.Request(target.url, data=body, headers=headers, method="POST")
        try:
            with self._opener.open(request, timeout=target.timeout_seconds) as response:
                return read_answer(response.read(MAX_ANSWER_BYTES + 1))
        except HTTPError as error:
            error.close()
            return refused(error.code)
        except TimeoutError:
            return HookResult(ERROR, f"no answer within {target.timeout_seconds} s", retryable=True)
        except URLError as error:
            timed_out = isinstance(error.reason, TimeoutError)
            why = f"no answer within {target.timeout_seconds} s" if timed_out else f"cannot reach it: {error.reason}"
            return HookResult(ERROR, clipped(why), retryable=timed_out)
        except (OSError, ValueError) as error:  # the connection dropped mid-answer, a malformed status line
            return HookResult(ERROR, clipped(f"the answer broke off: {type(error).__name__}"), retryable=True)

    def _allowed(self, url: str) -> bool:
        parts = urlsplit(url)
        if parts.scheme == "https":
            return True
        return self._loopback_http and parts.scheme == "http" and parts.hostname in LOOPBACK
