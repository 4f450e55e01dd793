"""A hook's answer read into a `HookResult`: proceed only on an explicit `{"proceed": true}`.

The body is the receiver's: it is read with limits (size, nesting) and never trusted to be well formed;
whatever cannot be read is a halt that says why, never a crash.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from chalicelib.hooks.record import ERROR, HALT, PROCEED

MAX_ANSWER_BYTES = 64 * 1024
MAX_DEPTH = 8
MAX_REASON = 300  # characters of the receiver's reason kept (history, notifications)


@dataclass(frozen=True)
class HookResult:
    outcome: str  # PROCEED, HALT or ERROR
    reason: str = ""
    retryable: bool = False  # a 5xx, a timeout or a throttle: asked again while the hook's retries last


def read_answer(body: bytes) -> HookResult:
    """A 2xx answer's body (or a Lambda function's result)."""
    if len(body) > MAX_ANSWER_BYTES:
        return HookResult(HALT, f"answer larger than {MAX_ANSWER_BYTES} bytes")
    try:
        document = json.loads(body)
    except RecursionError:
        return HookResult(HALT, f"answer nested deeper than {MAX_DEPTH} levels")
    except ValueError:  # not JSON, or not UTF-8
        return HookResult(HALT, "answer is not JSON")
    if _depth(document) > MAX_DEPTH:
        return HookResult(HALT, f"answer nested deeper than {MAX_DEPTH} levels")
    if not isinstance(document, dict):
        return HookResult(HALT, 'answer is not a JSON object with "proceed"')
    reason = document.get("reason")
    said = clipped(reason) if isinstance(reason, str) else ""
    if document.get("proceed") is True:
        return HookResult(PROCEED, said)
    return HookResult(HALT, said or 'the answer did not say "proceed": true')


def refused(status: int) -> HookResult:
    """A non-2xx HTTP status: a 5xx (or 429) is asked again, any other is the receiver's no."""
    retryable = status >= 500 or status == 429
    return HookResult(ERROR if retryable else HALT, f"answered HTTP {status}", retryable)


def clipped(text: str) -> str:
    printable = "".join(char if char.isprintable() else " " for char in text[: MAX_REASON + 1])
    return printable if len(printable) <= MAX_REASON else printable[: MAX_REASON - 1] + "…"


def _depth(value: Any) -> int:
    """How deeply containers nest, without recursion (the parser already bounded it)."""
    deepest, level = 0, [(value, 1)]
    while level:
        item, depth = level.pop()
        if isinstance(item, dict | list):
            deepest = max(deepest, depth)
            children = item.values() if isinstance(item, dict) else item
            level.extend((child, depth + 1) for child in children)
    return deepest
