"""Tables people read at a glance, JSON for scripts: stdout holds only the command's answer.

With ``--json`` a run prints exactly one JSON document, whatever happens: the answer, or (when the command
was refused or failed before answering) ``{"error": ..., "exit_code": ...}``. Errors also go to stderr.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from typing import Any


class _Run:
    """What this run has printed so far (one CLI run per process; tests call main() again and again)."""

    json = False
    answered = False
    errors: list[str] = []  # noqa: RUF012 - reset per run by start()


def start(json_mode: bool) -> None:
    _Run.json, _Run.answered, _Run.errors = json_mode, False, []


def emit_json(value: Any) -> None:
    if _Run.answered:
        raise RuntimeError("a command printed a second JSON document")
    _Run.answered = True
    print(json.dumps(value, indent=2, sort_keys=True, default=str))


def error(message: str) -> None:
    """Tell the person (stderr); with --json the closing document carries it too."""
    _Run.errors.append(message)
    print(f"shepherd: {message}", file=sys.stderr)


def finish(code: int, refusal: str = "") -> None:
    """With --json and no answer yet (refused, not found, unreachable, bad arguments): the error as the one
    document. ``refusal`` is argparse's, already on stderr."""
    if _Run.json and not _Run.answered:
        errors = [*_Run.errors, refusal] if refusal else _Run.errors
        emit_json({"error": "; ".join(errors) or None, "exit_code": code})


def table(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    cells = [[str(h) for h in headers], *[["" if c is None else str(c) for c in row] for row in rows]]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    lines = ["  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip() for row in cells]
    lines.insert(1, "  ".join("-" * width for width in widths))
    return "\n".join(lines)
