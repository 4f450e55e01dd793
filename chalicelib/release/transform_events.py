"""A raw "SageMaker Transform Job State Change" becomes the job's name and status, or a MalformedEventError
naming the field.

Only TransformJobName and TransformJobStatus are read. The status steers nothing by itself: SageMaker may send
an event more than once or late, so whoever acts on it describes the job again. FailureReason, the job's
input, output and resources are never read from the event (the describe has them, current).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from chalicelib.shared.event_fields import choice_field, event_object, text_field

TRANSFORM_JOB_STATE_CHANGE = "SageMaker Transform Job State Change"
TRANSFORM_JOB_NAME = re.compile(r"[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}")  # TransformJobName in service-2.json
TRANSFORM_JOB_NAME_LIMIT = 63
TRANSFORM_JOB_STATUSES = ("InProgress", "Completed", "Failed", "Stopping", "Stopped")
FINISHED = frozenset({"Completed", "Failed", "Stopped"})


@dataclass(frozen=True)
class TransformJobChanged:
    name: str
    status: str

    @property
    def finished(self) -> bool:
        """Whether the job has stopped for good: its output (or its failure) can be judged."""
        return self.status in FINISHED


def transform_job_change(detail: Any) -> TransformJobChanged:
    detail = event_object(detail)
    name = text_field(detail, "TransformJobName", TRANSFORM_JOB_NAME_LIMIT, TRANSFORM_JOB_NAME)
    return TransformJobChanged(name, choice_field(detail, "TransformJobStatus", TRANSFORM_JOB_STATUSES))
