"""JSON from outside, within limits: a document too big or nested too deep is refused with a clear error.

Python's parser and any recursive walk over its result fail with RecursionError near 1,000 levels (less
inside a Lambda's deeper stack), which no caller expects: a 2 KB document could crash a handler. Here
the depth is measured without recursion, so every caller gets a ValueError it already handles.
"""

from __future__ import annotations

import json
from typing import Any


class JsonLimitError(ValueError):
    """The document is bigger or deeper than its reader accepts."""


def loads(raw: bytes | str, max_bytes: int, max_depth: int) -> Any:
    """Parse `raw`; raise JsonLimitError past the limits, ValueError when it is not JSON."""
    if len(raw) > max_bytes:
        raise JsonLimitError(f"document is larger than {max_bytes} bytes")
    try:
        document = json.loads(raw)
    except RecursionError:
        raise JsonLimitError(f"document is nested deeper than {max_depth} levels") from None
    check_depth(document, max_depth)
    return document


def check_depth(document: Any, max_depth: int) -> None:
    """Raise JsonLimitError if objects and arrays nest deeper than `max_depth` (a scalar is depth 0)."""
    pending: list[tuple[Any, int]] = [(document, 1)]
    while pending:
        value, depth = pending.pop()
        children = value.values() if isinstance(value, dict) else value if isinstance(value, list) else None
        if children is None:
            continue
        if depth > max_depth:
            raise JsonLimitError(f"document is nested deeper than {max_depth} levels")
        pending.extend((child, depth + 1) for child in children)
