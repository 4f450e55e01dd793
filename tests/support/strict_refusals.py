"""A test fails when a request it caused was refused by the strict world, even if the code swallowed the error."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

REFUSES = "refuses_requests"  # the marker of a test that sends requests AWS refuses on purpose


def unexpected_refusals(refused: Sequence[Mapping[str, Any]], expected: bool) -> str | None:
    """What to fail the test with, or None: every refusal named by its operation, member and caller."""
    if not refused or expected:
        return None
    lines = [
        f"{entry['side']}: {entry['service']} {entry['operation']}: "
        + "; ".join(f"{v['path']} {v['constraint']}" for v in entry["violations"])
        + (f" (sent by {entry['callers'][-1]})" if entry["callers"] else "")
        for entry in refused
    ]
    return f"AWS would have refused {len(refused)} request(s) this test caused:\n" + "\n".join(lines)
