"""The request signature Slack uses and the hooks reuse: `<scheme>=` and the hex HMAC-SHA256 of
`<scheme>:<timestamp>:<raw body>` with a shared secret."""

from __future__ import annotations

import hashlib
import hmac

# Seconds since 1970 have ten digits until the year 2286: a longer "timestamp" is not one, and would
# overflow the float comparison (or Python's 4,300-digit int limit) instead of being refused.
MAX_TIMESTAMP_DIGITS = 12


def hmac_signature(scheme: str, secret: str, timestamp: str, body: bytes) -> str:
    base = f"{scheme}:{timestamp}:".encode() + body
    return f"{scheme}=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()


def is_timestamp(text: str) -> bool:
    return len(text) <= MAX_TIMESTAMP_DIGITS and text.isascii() and text.isdigit()


def same_signature(expected: str, given: str) -> bool:
    # compare_digest on bytes: constant time, and no error on non-ASCII input an attacker might send.
    return hmac.compare_digest(expected.encode(), given.encode("utf-8", "replace"))
