"""A history reason shortened for a table cell: a failure repeated per smoke test said once, the metric
analysis's judgement brought forward (its counts after it), then clipped."""

from __future__ import annotations

import re

SMOKE_FAILED = "smoke tests failed: "
TABLE_WIDTH = 100  # characters: a row stays readable in a terminal; --json keeps the whole text
# How the release machine words an analysis that ended or paused a release; the judgement follows it.
_ANALYSIS = re.compile(r"the metric analysis (failed|had no verdict) (\d+) time\(s\): ")
_COUNTED = {"failed": "failed", "had no verdict": "without data"}


def short_reason(reason: str, width: int = TABLE_WIDTH) -> str:
    return clip(_judgement_first(_said_once(reason)), width)


def _judgement_first(reason: str) -> str:
    """ "aborted at 25%: the metric analysis failed 2 time(s): FAIL: p99 ..." -> "aborted at 25%: FAIL: p99 ...
    (2 measurements failed)": the judgement is what a clipped cell must still show."""
    found = _ANALYSIS.search(reason)
    if found is None:
        return reason
    what, times = found.groups()
    judgement = reason[found.end() :]
    return f"{reason[: found.start()]}{judgement} ({times} measurement(s) {_COUNTED[what]})"


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
