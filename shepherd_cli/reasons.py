"""A history reason shortened for a table cell: a failure repeated per smoke test said once, then clipped."""

from __future__ import annotations

SMOKE_FAILED = "smoke tests failed: "
TABLE_WIDTH = 100  # characters: a row stays readable in a terminal; --json keeps the whole text


def short_reason(reason: str, width: int = TABLE_WIDTH) -> str:
    return clip(_said_once(reason), width)


def clip(text: str, width: int) -> str:
    flat = " ".join(text.split())  # an error's own newlines would break the table's rows
    return flat if len(flat) <= width else flat[: width - 1] + "…"


def _said_once(reason: str) -> str:
    """ "smoke tests failed: a: E; b: E; c: E" -> "3 smoke tests: E"."""
    if not reason.startswith(SMOKE_FAILED):
        return reason
    failures = reason.removeprefix(SMOKE_FAILED).split("; ")
    details = {failure.partition(": ")[2] for failure in failures}
    if len(failures) < 2 or len(details) != 1:
        return reason
    return f"{len(failures)} smoke tests: {details.pop()}"
