"""CreateTransformJob as SageMaker runs it: InProgress, then every object under the input prefix answered by
the job's model (or the configured answer) into `<S3OutputPath>/<key relative to the prefix>.out`, then
Completed, or Failed with a reason when the input is missing or the model refuses a record. Each status
change is a "SageMaker Transform Job State Change" event on moto's bus. moto marks a job Completed at once,
reads nothing and writes nothing.

`configure(model_prefix, response=..., failure=...)` sets what jobs of the models named with that prefix
answer (tests and the demo); with neither configured nor a served model (model_serving off, or an image it
cannot emulate), the job fails saying so.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from devstack.moto_ext import model_serving
from devstack.moto_ext.endpoint_lifecycle import run_after
from devstack.moto_ext.patching import Method, Patch, Wrap
from devstack.moto_ext.sagemaker_events import put_event

TRANSFORM_JOB_STATE_CHANGE = "SageMaker Transform Job State Change"
MAX_RECORDS = 100  # input objects a local job reads: a smoke sample is small


@dataclass(frozen=True)
class JobBehaviour:
    response: str | None = None  # every record's answer
    failure: str | None = None  # the job fails with this FailureReason
    seconds: float = 0.0  # InProgress this long


_configured: dict[str, JobBehaviour] = {}


def configure(model_prefix: str, **fields: Any) -> None:
    _configured[model_prefix] = JobBehaviour(**fields)


def reset() -> None:
    _configured.clear()


def patches() -> list[Patch]:
    from moto.sagemaker.models import SageMakerModelBackend

    gap = "transform jobs neither run nor emit events"
    return [Wrap(SageMakerModelBackend, "create_transform_job", _create, gap=gap)]


def _create(call_next: Method, backend: Any, *args: Any, **kwargs: Any) -> Any:
    job = call_next(backend, *args, **kwargs)
    _moved(backend, job, "InProgress")
    behaviour = next((b for prefix, b in _configured.items() if job.model_name.startswith(prefix)), JobBehaviour())
    run_after(behaviour.seconds, lambda: _finish(backend, job, behaviour))
    return job


def _finish(backend: Any, job: Any, behaviour: JobBehaviour) -> None:
    reason = behaviour.failure or _transform(backend, job, behaviour.response)
    _moved(backend, job, "Failed" if reason else "Completed", reason or "")


def _transform(backend: Any, job: Any, configured: str | None) -> str | None:
    """Every input object answered into the output path; the FailureReason if one cannot be."""
    from moto.s3.models import s3_backends

    s3 = s3_backends[backend.account_id]["aws"]
    source = job.transform_input["DataSource"]["S3DataSource"]["S3Uri"]
    bucket, _, prefix = source.removeprefix("s3://").partition("/")
    try:
        keys = sorted(key.name for key in s3.get_bucket(bucket).keys.values() if key.name.startswith(prefix))
    except Exception:  # noqa: BLE001 - moto's MissingBucket: SageMaker reports the input it could not read
        return f"ClientError: Failed to download data. Could not read {source}"
    if not keys:
        return f"ClientError: No S3 objects found under S3 URL {source}"
    if configured is None and (refused := model_serving.prepare_model(backend, job.model_name)):
        return f"ClientError: {refused}"  # the model's artifact is missing or unreadable
    output = job.transform_output["S3OutputPath"].rstrip("/")
    out_bucket, _, out_prefix = output.removeprefix("s3://").partition("/")
    for key in keys[:MAX_RECORDS]:
        found = s3.get_object(bucket, key)
        body = bytes(found.value) if found is not None else b""
        answer = configured.encode() if configured is not None else _answered(backend, job, body)
        if isinstance(answer, str):
            return answer
        name = key[len(prefix) :].lstrip("/") or key.rsplit("/", 1)[-1]
        s3.put_object(out_bucket, f"{out_prefix}/{name}.out".lstrip("/"), answer)
    return None


def _answered(backend: Any, job: Any, body: bytes) -> bytes | str:
    content = job.transform_input.get("ContentType")
    answer = model_serving.invoke_model(
        backend.account_id, backend.region_name, job.model_name, (body, content, job.transform_output.get("Accept"))
    )
    if answer is None:
        return f"ClientError: no model is served here for {job.model_name}: configure an answer (transform_jobs)"
    if not 200 <= answer.status < 300:
        text = answer.body.decode("utf-8", errors="replace")[:500]
        return f"AlgorithmError: the model answered {answer.status}: {text}"
    return answer.body


def _moved(backend: Any, job: Any, status: str, reason: str = "") -> None:
    job.transform_job_status, job.failure_reason = status, reason
    detail = {
        "TransformJobName": job.transform_job_name,
        "TransformJobArn": job.arn,
        "TransformJobStatus": status,
        "ModelName": job.model_name,
        "TransformInput": job.transform_input,
        "TransformOutput": job.transform_output,
        "TransformResources": job.transform_resources,
        "Tags": {},
    }
    if reason:
        detail["FailureReason"] = reason
    put_event(backend, TRANSFORM_JOB_STATE_CHANGE, detail, [job.arn])
