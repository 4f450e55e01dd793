"""The HTTPS hooks' signature: HMAC-SHA256 of `v1:{timestamp}:{body}` with the hook's signing secret.

Headers: `X-Shepherd-Timestamp` (Unix seconds) and `X-Shepherd-Signature: v1=<hex digest>`. A receiver
recomputes the digest over the raw body, compares in constant time and refuses a timestamp more than
five minutes from its own clock (a replayed request). `verify` is that recipe, as docs/policy.md gives it.
"""

from __future__ import annotations

from chalicelib.shared.hmac_signature import hmac_signature, is_timestamp, same_signature

SIGNATURE_HEADER = "X-Shepherd-Signature"
TIMESTAMP_HEADER = "X-Shepherd-Timestamp"
SCHEME = "v1"
WINDOW_SECONDS = 300


def signature(secret: str, timestamp: int, body: bytes) -> str:
    return hmac_signature(SCHEME, secret, str(timestamp), body)


def signed_headers(secret: str, timestamp: int, body: bytes) -> dict[str, str]:
    return {
        "Content-Type": "application/json",
        TIMESTAMP_HEADER: str(timestamp),
        SIGNATURE_HEADER: signature(secret, timestamp, body),
    }


def verify(secret: str, timestamp: str, body: bytes, given: str, now: int) -> bool:
    """What a receiver does: a fresh timestamp, and the same digest compared in constant time."""
    if not is_timestamp(timestamp) or abs(now - int(timestamp)) > WINDOW_SECONDS:
        return False
    return same_signature(signature(secret, int(timestamp), body), given)
