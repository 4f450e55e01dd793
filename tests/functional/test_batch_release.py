"""A batch target released with no endpoint: staging is a smoke transform job on the sample input, judged by
the smoke tests on its output objects; production is the SSM parameter the team's batch pipeline reads.
A failed job, an output failing a check, no output or a refused write leave the parameter on the last good
value, and people are told why; rollbacks put the previous value back. Driven by "SageMaker Transform Job
State Change" events through the app, or by the reconciler when an event is lost."""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from moto.sagemaker.models import sagemaker_backends

from chalicelib.bootstrap import Container, use_container
from chalicelib.release.rollback import rollback
from chalicelib.shared.errors import MalformedEventError
from chalicelib.shared.settings import load_settings
from devstack.moto_ext import transform_jobs
from devstack.resources import LocalResources
from tests.support import release as r
from tests.support import targets
from tests.support.event_shapes import fixture
from tests.support.policies import policies_with_batch_release
from tests.support.sns_inbox import inbox
from tests.support.targets import stage

BUCKET = "my-bucket"
PARAMETER = f"/model-shepherd/{r.GROUP}/production"
ANSWERS_BOTH = '{"predictions": [0.5]}'  # inside both smoke tests' ranges
GOOD_OUTPUTS = {"legit-transaction": '{"predictions": [0.03]}', "fraud-transaction": "0.97\n"}


@pytest.fixture
def batch(resources: LocalResources, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Container]:
    policies = policies_with_batch_release(tmp_path / "policies")
    for name, value in {**resources.environment(), "SHEPHERD_POLICY_DIR": str(policies)}.items():
        monkeypatch.setenv(name, value)
    container = Container(settings=load_settings())
    use_container(container)
    s3 = boto3.client("s3")
    s3.create_bucket(Bucket=BUCKET)
    for test in json.loads((policies / f"{r.GROUP}.json").read_text())["release"]["smoke_tests"]:
        s3.put_object(Bucket=BUCKET, Key=f"batch/sample/{test['name']}", Body=test["body"].encode())
    transform_jobs.configure("", response=ANSWERS_BOTH)  # what the local stack's job answers every record
    yield container
    transform_jobs.reset()


@pytest.fixture
def clock(batch: Container) -> r.Clock:
    return r.release_world(batch)


def smoke_job(container: Container) -> str:
    release = container.release_store.load(r.GROUP).release
    assert release is not None
    return release.staging_config


def job_event(job: str, status: str = "Completed") -> Any:
    detail = {"TransformJobName": job, "TransformJobStatus": status}  # the status is never trusted: re-read
    return r.invoke("release_endpoint", r.cw_event("aws.sagemaker", "SageMaker Transform Job State Change", detail))


def job_writes(job: str, outputs: dict[str, str]) -> None:
    """What SageMaker would write: one `<input object>.out` per sample object, under the job's own prefix."""
    for name, body in outputs.items():
        boto3.client("s3").put_object(Bucket=BUCKET, Key=f"batch/smoke/{job}/{name}.out", Body=body.encode())


def set_job(job: str, status: str, reason: str = "") -> None:
    found = sagemaker_backends["123456789012"]["us-east-1"].transform_jobs[job]
    found.transform_job_status, found.failure_reason = status, reason


def published() -> dict[str, Any] | None:
    return targets.published(boto3.client("ssm"))


def release_to_live(arn: str, clock: r.Clock, container: Container) -> Any:
    r.decided(arn, "Approved")
    job = smoke_job(container)
    job_writes(job, GOOD_OUTPUTS)
    clock.advance(minutes=12)
    return job_event(job)["groups"][r.GROUP]


@pytest.fixture
def v1_live(clock: r.Clock, batch: Container, resources: LocalResources) -> r.Clock:
    return targets.v1_live(lambda arn, at: release_to_live(arn, at, batch), clock, resources)


def test_a_batch_release_runs_a_smoke_job_on_the_sample_and_publishes_the_model(
    clock: r.Clock, batch: Container, resources: LocalResources
) -> None:
    arn = r.register_approved("v1")
    assert release_to_live(arn, clock, batch)["stage"] == "WATCHING"
    job = boto3.client("sagemaker").describe_transform_job(TransformJobName=smoke_job(batch))
    assert job["TransformInput"]["DataSource"]["S3DataSource"]["S3Uri"] == "s3://my-bucket/batch/sample/"
    assert job["TransformOutput"]["S3OutputPath"] == f"s3://my-bucket/batch/smoke/{job['TransformJobName']}/"
    assert published() == {"version": 1, "model_package_arn": arn, "model_name": job["ModelName"]}
    assert batch.live_versions.live_arn(r.GROUP) == arn
    assert r.sns_types(inbox(resources)) == ["release.live"]
    assert boto3.client("sagemaker").list_endpoints()["Endpoints"] == []  # no endpoint, ever


def test_a_running_job_is_waited_for_and_a_replayed_event_changes_nothing(clock: r.Clock, batch: Container) -> None:
    r.decided(r.register_approved("v1"), "Approved")
    job = smoke_job(batch)
    set_job(job, "InProgress")
    assert job_event(job, "InProgress") == {"transform job": job, "skipped": "status InProgress"}
    assert job_event(job)["groups"][r.GROUP]["stage"] == "STAGING"  # the event said Completed: not yet true
    set_job(job, "Completed")
    job_writes(job, GOOD_OUTPUTS)
    assert job_event(job)["groups"][r.GROUP]["stage"] == "WATCHING"
    job_event(job)
    assert published() is not None and published()["version"] == 1  # type: ignore[index]


def test_a_failed_job_fails_the_release_and_the_parameter_keeps_v1(
    v1_live: r.Clock, batch: Container, resources: LocalResources
) -> None:
    r.decided(r.register_approved("v2"), "Approved")
    job = smoke_job(batch)
    set_job(job, "Failed", "ClientError: the model container exited with code 1")
    job_event(job, "Failed")
    assert (
        stage(batch) == "v2 FAILED: staging transform job Failed: ClientError: the model container exited with code 1"
    )
    assert published()["version"] == 1  # type: ignore[index]
    assert r.sns_types(inbox(resources)) == ["release.failed"]


def test_an_output_failing_a_check_fails_the_release_before_production(v1_live: r.Clock, batch: Container) -> None:
    r.decided(r.register_approved("v2"), "Approved")
    job = smoke_job(batch)
    job_writes(job, {**GOOD_OUTPUTS, "legit-transaction": '{"predictions": [0.7]}'})
    job_event(job)
    assert stage(batch) == "v2 FAILED: smoke tests failed: legit-transaction: prediction 0.7 outside [0, 0.5]"
    assert published()["version"] == 1  # type: ignore[index]


def test_a_job_that_wrote_no_output_fails_the_release(v1_live: r.Clock, batch: Container) -> None:
    r.decided(r.register_approved("v2"), "Approved")
    job = smoke_job(batch)
    s3 = boto3.client("s3")
    for written in s3.list_objects_v2(Bucket=BUCKET, Prefix=f"batch/smoke/{job}/")["Contents"]:
        s3.delete_object(Bucket=BUCKET, Key=written["Key"])  # a container that answered nothing
    job_event(job)
    path = f"s3://my-bucket/batch/smoke/{job}/"
    assert stage(batch) == f"v2 FAILED: smoke tests failed: the smoke transform job {job} wrote no output under {path}"
    assert published()["version"] == 1  # type: ignore[index]


def test_a_missing_output_object_fails_its_smoke_test(v1_live: r.Clock, batch: Container) -> None:
    r.decided(r.register_approved("v2"), "Approved")
    job = smoke_job(batch)
    boto3.client("s3").delete_object(Bucket=BUCKET, Key=f"batch/smoke/{job}/fraud-transaction.out")
    job_event(job)
    assert stage(batch).endswith(
        f"fraud-transaction: no output fraud-transaction.out under s3://my-bucket/batch/smoke/{job}/"
    )


def test_a_refused_parameter_write_fails_the_release_and_keeps_the_last_good_value(
    v1_live: r.Clock, batch: Container, resources: LocalResources, monkeypatch: pytest.MonkeyPatch
) -> None:
    from chalicelib.adapters.production_parameter import SsmProductionParameter
    from chalicelib.shared.errors import ReleaseStepError

    def refused(self: SsmProductionParameter, group: str, value: str) -> None:
        raise ReleaseStepError(f"put_parameter /model-shepherd/{group}/production: AccessDeniedException: denied")

    monkeypatch.setattr(SsmProductionParameter, "publish", refused)
    release_to_live(r.register_approved("v2"), v1_live, batch)
    assert stage(batch) == (
        "v2 FAILED: deploy_production refused: put_parameter /model-shepherd/fraud-detection-models/production: "
        "AccessDeniedException: denied"
    )
    assert published()["version"] == 1  # type: ignore[index]
    assert r.sns_types(inbox(resources)) == ["release.failed"]


def test_a_lost_event_is_made_up_for_by_the_reconciler(clock: r.Clock, batch: Container) -> None:
    r.decided(r.register_approved("v1"), "Approved")
    job_writes(smoke_job(batch), GOOD_OUTPUTS)
    clock.advance(minutes=20)
    r.reconcile()  # no job event came: the job is described, judged and production published
    assert stage(batch) == "v1 WATCHING: "
    assert published()["version"] == 1  # type: ignore[index]


def test_a_job_that_never_finishes_fails_at_the_staging_deadline(clock: r.Clock, batch: Container) -> None:
    r.decided(r.register_approved("v1"), "Approved")
    set_job(smoke_job(batch), "InProgress")
    clock.advance(minutes=31)
    r.reconcile()
    assert stage(batch).startswith("v1 FAILED: STAGING passed its deadline")
    assert published() is None


def test_a_manual_rollback_puts_the_previous_value_back_and_the_history_says_so(
    v1_live: r.Clock, batch: Container
) -> None:
    v2 = r.register_approved("v2")
    release_to_live(v2, v1_live, batch)
    v1_live.advance(minutes=61)
    r.reconcile()
    assert published()["version"] == 2  # type: ignore[index]
    assert rollback(r.GROUP, None, "cli:bob", "scores drifted", batch.release_deps).to_version == 1
    assert published()["version"] == 1  # type: ignore[index]
    outcomes = [(row.version, row.outcome) for row in batch.release_store.history(r.GROUP)]
    assert (2, "ROLLED_BACK") in outcomes and (1, "ROLLBACK") in outcomes


def test_a_hand_edited_parameter_is_put_back_on_the_live_version(v1_live: r.Clock, batch: Container) -> None:
    boto3.client("ssm").put_parameter(Name=PARAMETER, Value="someone-elses-model", Type="String", Overwrite=True)
    r.reconcile()
    assert published()["version"] == 1  # type: ignore[index]


def documented_job_event(job: str | None = None) -> dict[str, Any]:
    """AWS's documented "SageMaker Transform Job State Change" (Failed), pointed at `job` if given."""
    event = copy.deepcopy(fixture("aws-docs-transform-job-state-change.json"))
    if job:
        arn = f"arn:aws:sagemaker:us-east-1:123456789012:transform-job/{job}"
        event["region"], event["resources"] = "us-east-1", [arn]
        event["detail"].update(TransformJobName=job, TransformJobArn=arn)
    return event


def test_the_documented_event_is_judged_by_the_job_as_described_not_as_the_event_says(
    v1_live: r.Clock, batch: Container
) -> None:
    r.decided(r.register_approved("v2"), "Approved")
    job = smoke_job(batch)
    set_job(job, "Failed", "AlgorithmError: out of memory")
    assert r.invoke("release_endpoint", documented_job_event(job))["groups"][r.GROUP]["stage"] == "FAILED"
    # The job as described, not the event's own "failed why 1"
    assert stage(batch) == "v2 FAILED: staging transform job Failed: AlgorithmError: out of memory"


def test_a_job_no_group_started_is_skipped(clock: r.Clock) -> None:
    assert r.invoke("release_endpoint", documented_job_event()) == {
        "transform job": "4b52bd8f-e034-4345-818d-884bdd7c9724",
        "skipped": "no group's release policy names this transform job",
    }


def test_a_job_event_without_a_name_is_malformed_and_kept_for_the_dead_letter_queue(clock: r.Clock) -> None:
    event = documented_job_event()
    del event["detail"]["TransformJobName"]
    with pytest.raises(MalformedEventError, match="TransformJobName"):
        r.invoke("release_endpoint", event)


def test_a_rollback_to_a_named_approved_version_publishes_its_own_model(v1_live: r.Clock, batch: Container) -> None:
    r.decided(r.register_approved("v2"), "Approved")
    job = smoke_job(batch)
    set_job(job, "Failed", "AlgorithmError: out of memory")
    job_event(job, "Failed")  # v2 never served: it is no recorded rollback target, but still Approved
    assert rollback(r.GROUP, 2, "cli:bob", "v2 passes offline", batch.release_deps).to_version == 2
    value = published()
    assert value is not None and value["version"] == 2
    model = boto3.client("sagemaker").describe_model(ModelName=value["model_name"])
    assert model["PrimaryContainer"]["ModelPackageName"].endswith("/2")
    assert boto3.client("sagemaker").list_endpoint_configs()["EndpointConfigs"] == []  # none for a batch target
