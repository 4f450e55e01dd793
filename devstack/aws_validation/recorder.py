"""Every refusal as one JSON line in $SHEPHERD_STRICT_AWS_LOG (when set): which code sent what, in which test.

The exception tells the caller; this tells whoever runs a whole suite and wants the list of all of them.
"""

from __future__ import annotations

import json
import os
import threading
import traceback
from pathlib import Path
from typing import Any

from devstack.aws_validation.violations import SENSITIVE, Refusal, java_text

LOG_VARIABLE = "SHEPHERD_STRICT_AWS_LOG"
ROOT = Path(__file__).resolve().parents[2]
_lock = threading.Lock()


def record(side: str, operation: Any, refusal: Refusal) -> None:
    target = os.environ.get(LOG_VARIABLE)
    if not target:
        return
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
    with _lock, open(target, "a", encoding="utf-8") as log:
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
