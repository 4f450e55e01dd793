"""Every refusal, kept in memory for this process (`take()`) and as one JSON line in $SHEPHERD_STRICT_AWS_LOG
(when set): which code sent what, in which test.

The exception tells the caller, but the caller may swallow it (a notifier never fails its caller): the
tests take what was kept after each test and fail one that sent a request AWS would refuse.
"""

from __future__ import annotations

import json
import os
import threading
import traceback
from collections import deque
from pathlib import Path
from typing import Any

from devstack.aws_validation.violations import SENSITIVE, Refusal, java_text

LOG_VARIABLE = "SHEPHERD_STRICT_AWS_LOG"
ROOT = Path(__file__).resolve().parents[2]
_lock = threading.Lock()
KEPT = 1000  # the newest refusals only: a local stack may run for days
_kept: deque[dict[str, Any]] = deque(maxlen=KEPT)


def take() -> list[dict[str, Any]]:
    """The refusals recorded in this process since the last take()."""
    with _lock:
        taken = list(_kept)
        _kept.clear()
    return taken


def record(side: str, operation: Any, refusal: Refusal) -> None:
    target = os.environ.get(LOG_VARIABLE)
    entry = {
        "side": side,
        "service": operation.service_model.service_name,
        "operation": operation.name,
        "violations": [
            {
                "path": v.path,
                "constraint": v.constraint,
                "value": "(sensitive)" if v.value is SENSITIVE else java_text(v.value)[:300],
            }
            for v in refusal.violations
        ],
        "test": os.environ.get("PYTEST_CURRENT_TEST", ""),
        "callers": project_callers(),
    }
    with _lock:
        _kept.append(entry)
        if target:
            with open(target, "a", encoding="utf-8") as log:
                log.write(json.dumps(entry) + "\n")


def project_callers() -> list[str]:
    """The call stack's frames in this project's own code, innermost last: who sent the request."""
    here = Path(__file__).resolve().parent
    frames = []
    for frame in traceback.extract_stack()[:-2]:
        path = Path(frame.filename).resolve()
        if path.is_relative_to(ROOT) and ".venv" not in path.parts and not path.is_relative_to(here):
            frames.append(f"{path.relative_to(ROOT)}:{frame.name}:{frame.lineno}")
    return frames
