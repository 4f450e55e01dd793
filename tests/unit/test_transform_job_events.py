"""The "SageMaker Transform Job State Change" parser against AWS's documented example and what SageMaker
cannot send. The generic shape properties (dropped, mistyped, absurd or unknown fields) run in
test_event_shapes.py over the same fixture."""

from __future__ import annotations

import pytest

from chalicelib.release.transform_events import TRANSFORM_JOB_STATUSES, TransformJobChanged, transform_job_change
from chalicelib.shared.errors import MalformedEventError
from tests.support.event_shapes import fixture, replaced, without

DOCUMENTED = fixture("aws-docs-transform-job-state-change.json")["detail"]


def test_the_documented_event_reads_as_the_job_and_its_status() -> None:
    assert transform_job_change(DOCUMENTED) == TransformJobChanged("4b52bd8f-e034-4345-818d-884bdd7c9724", "Failed")


@pytest.mark.parametrize(
    ("status", "finished"),
    [("InProgress", False), ("Stopping", False), ("Completed", True), ("Failed", True), ("Stopped", True)],
)
def test_only_completed_failed_and_stopped_jobs_are_finished(status: str, finished: bool) -> None:
    assert transform_job_change(replaced(DOCUMENTED, ("TransformJobStatus",), status)).finished is finished


def test_every_status_sagemaker_documents_is_read() -> None:
    read = {
        transform_job_change(replaced(DOCUMENTED, ("TransformJobStatus",), status)).status
        for status in TRANSFORM_JOB_STATUSES
    }
    assert read == set(TRANSFORM_JOB_STATUSES)


@pytest.mark.parametrize("field", ["TransformJobName", "TransformJobStatus"])
def test_a_missing_field_is_named(field: str) -> None:
    with pytest.raises(MalformedEventError, match=field):
        transform_job_change(without(DOCUMENTED, (field,)))


@pytest.mark.parametrize("status", ["another status... GO", "COMPLETED", "completed", ""])
def test_a_status_sagemaker_does_not_send_is_refused(status: str) -> None:
    # AWS's published example carries a placeholder status; the fixture has a real one (tests/fixtures/README.md)
    with pytest.raises(MalformedEventError, match="TransformJobStatus"):
        transform_job_change(replaced(DOCUMENTED, ("TransformJobStatus",), status))


@pytest.mark.parametrize("name", ["", "-x", "x-", "x_y", "a" * 64, "my job"])
def test_a_job_name_sagemaker_cannot_have_is_refused(name: str) -> None:
    with pytest.raises(MalformedEventError, match="TransformJobName"):
        transform_job_change(replaced(DOCUMENTED, ("TransformJobName",), name))
