"""Local endpoints run the model in their artifact: SageMaker's XGBoost and scikit-learn containers' contracts,
loaded from (local) S3 when the endpoint comes up; an artifact nobody can load fails the endpoint."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError

from devstack import fraud_model, seed
from devstack.moto_ext import endpoint_runtime, install, model_serving
from tests.support.local_variants import ENDPOINT, shadowed_endpoint, statistic

pytestmark = pytest.mark.usefixtures("aws")
SKLEARN_IMAGE = "683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-scikit-learn:1.2-1-cpu-py3"
LEGIT, FRAUD = b"120.5,0,1,0,3,14,0.2", b"9800.0,1,0,1,0,3,0.9"


@pytest.fixture(autouse=True)
def _serving(aws: None) -> Iterator[None]:
    install()
    model_serving.enable()
    boto3.client("s3").create_bucket(Bucket="my-bucket")
    yield
    model_serving.enable(False)
    model_serving.reset()
    endpoint_runtime.reset()


@pytest.fixture(scope="module")
def xgboost_artifact() -> bytes:
    return fraud_model.train(fraud_model.GOOD).artifact()


@pytest.fixture(scope="module")
def sklearn_artifact() -> bytes:
    from sklearn.linear_model import LogisticRegression

    features, labels = fraud_model.transactions(500, seed=3)
    model = LogisticRegression(max_iter=500).fit(features, ["fraud" if label else "legit" for label in labels])
    return fraud_model.tar_gz({"model.joblib": _joblib(model)})


def _joblib(model: Any) -> bytes:
    import io

    import joblib

    buffer = io.BytesIO()
    joblib.dump(model, buffer)
    return buffer.getvalue()


def endpoint(name: str, image: str, artifact: bytes | None, environment: dict[str, str] | None = None) -> str:
    """An endpoint on a model whose artifact is at s3://my-bucket/<name>/model.tar.gz (None: nothing there)."""
    url = f"s3://my-bucket/{name}/model.tar.gz"
    if artifact is not None:
        boto3.client("s3").put_object(Bucket="my-bucket", Key=f"{name}/model.tar.gz", Body=artifact)
    sagemaker: Any = boto3.client("sagemaker")
    container = {"Image": image, "ModelDataUrl": url, "Environment": environment or {}}
    sagemaker.create_model(
        ModelName=name, ExecutionRoleArn="arn:aws:iam::123456789012:role/r", PrimaryContainer=container
    )
    variant = {"VariantName": "AllTraffic", "ModelName": name, "InitialInstanceCount": 1, "InstanceType": "ml.m5.large"}
    sagemaker.create_endpoint_config(EndpointConfigName=name, ProductionVariants=[variant])
    sagemaker.create_endpoint(EndpointName=name, EndpointConfigName=name)
    return name


def invoke(name: str, body: bytes, content_type: str, accept: str | None = None) -> tuple[str, str]:
    request: dict[str, Any] = {"EndpointName": name, "Body": body, "ContentType": content_type}
    if accept:
        request["Accept"] = accept
    answer = boto3.client("sagemaker-runtime").invoke_endpoint(**request)
    return answer["Body"].read().decode(), answer["ContentType"]


def status(name: str) -> tuple[str, str | None]:
    described = boto3.client("sagemaker").describe_endpoint(EndpointName=name)
    return described["EndpointStatus"], described.get("FailureReason")


def test_xgboost_artifact_scores_csv_rows_and_answers_csv_by_default(xgboost_artifact: bytes) -> None:
    name = endpoint("xgb", seed.XGBOOST_IMAGE, xgboost_artifact)
    assert status(name) == ("InService", None)
    body, content_type = invoke(name, LEGIT + b"\n" + FRAUD, "text/csv")
    legit, fraud = (float(line) for line in body.splitlines())
    assert content_type == "text/csv" and legit < 0.1 < 0.9 < fraud  # a trained model's real scores


def test_xgboost_answers_json_as_the_container_does(xgboost_artifact: bytes) -> None:
    name = endpoint("xgb-json", seed.XGBOOST_IMAGE, xgboost_artifact)
    body, content_type = invoke(name, FRAUD, "text/csv", accept="application/json")
    [prediction] = json.loads(body)["predictions"]
    assert content_type == "application/json" and set(prediction) == {"score"} and prediction["score"] > 0.9


def test_xgboost_refuses_a_json_request_with_the_container_s_415(xgboost_artifact: bytes) -> None:
    name = endpoint("xgb-415", seed.XGBOOST_IMAGE, xgboost_artifact)
    with pytest.raises(ClientError) as refused:
        invoke(name, b'{"instances": [[1, 2]]}', "application/json")
    error: Any = refused.value.response
    assert error["Error"]["Code"] == "ModelError"
    assert "Received client error (415) from primary" in error["Error"]["Message"]
    assert "application/json is not an accepted ContentType" in error["Error"]["Message"]
    assert int(error["OriginalStatusCode"]) == 415


def test_xgboost_refuses_a_row_of_the_wrong_width(xgboost_artifact: bytes) -> None:
    name = endpoint("xgb-400", seed.XGBOOST_IMAGE, xgboost_artifact)
    with pytest.raises(ClientError, match=r"\(400\).*Feature size of csv inference data 3 is not consistent"):
        invoke(name, b"1,2,3", "text/csv")


def test_sklearn_joblib_model_predicts_labels_from_json_rows(sklearn_artifact: bytes) -> None:
    name = endpoint("sk", SKLEARN_IMAGE, sklearn_artifact)
    body, content_type = invoke(
        name, json.dumps([[120.5, 0, 1, 0, 3, 14, 0.2], [9800.0, 1, 0, 1, 0, 3, 0.9]]).encode(), "application/json"
    )
    assert (json.loads(body), content_type) == (["legit", "fraud"], "application/json")
    csv, _ = invoke(name, LEGIT + b"\n" + FRAUD, "text/csv", accept="text/csv")
    assert csv == "legit\nfraud\n"


def test_sklearn_default_handlers_refuse_a_single_csv_row_as_the_container_does(sklearn_artifact: bytes) -> None:
    name = endpoint("sk-1d", SKLEARN_IMAGE, sklearn_artifact)
    with pytest.raises(ClientError, match=r"Received server error \(500\).*2D array"):
        invoke(name, LEGIT, "text/csv")


@pytest.mark.parametrize("image", [seed.XGBOOST_IMAGE, SKLEARN_IMAGE])
def test_missing_artifact_fails_the_endpoint_with_sagemaker_s_reason(image: str) -> None:
    name = endpoint("missing", image, None)
    found, reason = status(name)
    assert found == "Failed"
    assert reason is not None and 'Failed to download model data for container "container_1"' in reason
    assert "s3://my-bucket/missing/model.tar.gz" in reason


@pytest.mark.parametrize(
    ("image", "artifact", "why"),
    [
        (seed.XGBOOST_IMAGE, b"not a tar.gz", "valid tar.gz archive"),
        (seed.XGBOOST_IMAGE, fraud_model.tar_gz({"xgboost-model": b"garbage"}), "cannot be loaded"),
        (SKLEARN_IMAGE, fraud_model.tar_gz({"model.joblib": b"garbage"}), "model_fn could not load model.joblib"),
        (SKLEARN_IMAGE, fraud_model.tar_gz({"README": b"no model here"}), "no model.joblib"),
    ],
)
def test_corrupt_artifact_fails_the_endpoint_and_says_why(image: str, artifact: bytes, why: str) -> None:
    name = endpoint("corrupt", image, artifact)
    found, reason = status(name)
    assert found == "Failed" and reason is not None and why in reason


def test_update_to_a_broken_artifact_keeps_the_old_fleet_serving(xgboost_artifact: bytes) -> None:
    name = endpoint("upd", seed.XGBOOST_IMAGE, xgboost_artifact)
    sagemaker: Any = boto3.client("sagemaker")
    sagemaker.create_model(
        ModelName="broken",
        ExecutionRoleArn="arn:aws:iam::123456789012:role/r",
        PrimaryContainer={"Image": seed.XGBOOST_IMAGE, "ModelDataUrl": "s3://my-bucket/nothing/model.tar.gz"},
    )
    variant = {
        "VariantName": "AllTraffic",
        "ModelName": "broken",
        "InitialInstanceCount": 1,
        "InstanceType": "ml.m5.large",
    }
    sagemaker.create_endpoint_config(EndpointConfigName="broken", ProductionVariants=[variant])
    sagemaker.update_endpoint(EndpointName=name, EndpointConfigName="broken")
    described = sagemaker.describe_endpoint(EndpointName=name)
    assert (described["EndpointStatus"], described["EndpointConfigName"]) == ("InService", name)
    assert described["FailureReason"].startswith("Update failed: Failed to download model data")
    assert float(invoke(name, FRAUD, "text/csv")[0]) > 0.9  # the old model still answers


def test_model_package_container_is_served_through_the_model_that_names_it(xgboost_artifact: bytes) -> None:
    sagemaker: Any = boto3.client("sagemaker")
    s3 = boto3.client("s3")
    seed.create_group(sagemaker)
    s3.put_object(Bucket="my-bucket", Key="models/v1/output/model.tar.gz", Body=xgboost_artifact)
    arn = seed.register_version(sagemaker, None, "v1")  # the seed's ModelDataUrl: models/v1/output/model.tar.gz
    sagemaker.create_model(
        ModelName="pkg", ExecutionRoleArn="arn:aws:iam::123456789012:role/r", PrimaryContainer={"ModelPackageName": arn}
    )
    variant = {
        "VariantName": "AllTraffic",
        "ModelName": "pkg",
        "InitialInstanceCount": 1,
        "InstanceType": "ml.m5.large",
    }
    sagemaker.create_endpoint_config(EndpointConfigName="pkg", ProductionVariants=[variant])
    sagemaker.create_endpoint(EndpointName="pkg", EndpointConfigName="pkg")
    assert float(invoke("pkg", FRAUD, "text/csv")[0]) > 0.9


def test_a_serverless_endpoint_runs_the_model_of_its_package_like_a_realtime_one(xgboost_artifact: bytes) -> None:
    sagemaker: Any = boto3.client("sagemaker")
    seed.create_group(sagemaker)
    boto3.client("s3").put_object(Bucket="my-bucket", Key="models/v1/output/model.tar.gz", Body=xgboost_artifact)
    arn = seed.register_version(sagemaker, None, "v1")
    sagemaker.create_model(
        ModelName="pkg", ExecutionRoleArn="arn:aws:iam::123456789012:role/r", PrimaryContainer={"ModelPackageName": arn}
    )
    serverless = {"MemorySizeInMB": 2048, "MaxConcurrency": 5}
    variant = {"VariantName": "AllTraffic", "ModelName": "pkg", "ServerlessConfig": serverless}
    sagemaker.create_endpoint_config(EndpointConfigName="pkg", ProductionVariants=[variant])
    sagemaker.create_endpoint(EndpointName="pkg", EndpointConfigName="pkg")
    assert status("pkg") == ("InService", None)
    assert float(invoke("pkg", FRAUD, "text/csv")[0]) > 0.9
    assert float(invoke("pkg", LEGIT, "text/csv")[0]) < 0.5


def test_unknown_image_keeps_its_configured_answer_and_without_one_says_what_to_do() -> None:
    custom = "123456789012.dkr.ecr.us-east-1.amazonaws.com/our-own-server:3"
    endpoint_runtime.configure("custom-answered", response='{"predictions": [0.5]}')
    endpoint("custom-answered", custom, None)
    assert invoke("custom-answered", LEGIT, "text/csv")[0] == '{"predictions": [0.5]}'
    name = endpoint("custom", custom, None)
    assert status(name) == ("InService", None)  # nothing the local stack could load: nothing to fail on
    with pytest.raises(ClientError) as refused:
        invoke(name, LEGIT, "text/csv")
    message = refused.value.response["Error"]["Message"]
    assert "cannot run image" in message and "--endpoint-response custom=BODY" in message


def test_each_variant_serves_its_own_model_and_a_failing_one_fails_the_endpoint(
    xgboost_artifact: bytes, sklearn_artifact: bytes
) -> None:
    endpoint("champion", seed.XGBOOST_IMAGE, xgboost_artifact)
    endpoint("challenger", SKLEARN_IMAGE, sklearn_artifact)
    sagemaker: Any = boto3.client("sagemaker")
    variants = [
        {"VariantName": name, "ModelName": model, "InitialInstanceCount": 1, "InstanceType": "ml.m5.large"}
        for name, model in (("AllTraffic", "champion"), ("Challenger", "challenger"))
    ]
    sagemaker.create_endpoint_config(EndpointConfigName="split", ProductionVariants=variants)
    sagemaker.create_endpoint(EndpointName="split", EndpointConfigName="split")
    runtime = boto3.client("sagemaker-runtime")
    rows = LEGIT + b"\n" + FRAUD
    scored = runtime.invoke_endpoint(
        EndpointName="split", Body=rows, ContentType="text/csv", TargetVariant="AllTraffic"
    )
    labelled = runtime.invoke_endpoint(
        EndpointName="split", Body=rows, ContentType="text/csv", TargetVariant="Challenger"
    )
    assert (scored["InvokedProductionVariant"], labelled["InvokedProductionVariant"]) == ("AllTraffic", "Challenger")
    assert float(scored["Body"].read().decode().splitlines()[1]) > 0.9  # XGBoost's score
    assert labelled["Body"].read().decode() == '["legit", "fraud"]'  # scikit-learn's labels
    endpoint("missing", SKLEARN_IMAGE, None)
    sagemaker.create_endpoint_config(
        EndpointConfigName="half-missing", ProductionVariants=[variants[0], {**variants[1], "ModelName": "missing"}]
    )
    sagemaker.create_endpoint(EndpointName="half-missing", EndpointConfigName="half-missing")
    found, reason = status("half-missing")
    assert found == "Failed" and reason is not None and "s3://my-bucket/missing/model.tar.gz" in reason


def test_a_variant_with_a_configured_answer_loads_no_model(xgboost_artifact: bytes) -> None:
    endpoint("served", seed.XGBOOST_IMAGE, xgboost_artifact)
    endpoint("unloadable", SKLEARN_IMAGE, None)  # its own endpoint fails: nothing to download
    endpoint_runtime.configure("answered-split", variant="Challenger", response="0.5")
    variants: list[Any] = [
        {"VariantName": name, "ModelName": model, "InitialInstanceCount": 1, "InstanceType": "ml.m5.large"}
        for name, model in (("AllTraffic", "served"), ("Challenger", "unloadable"))
    ]
    sagemaker: Any = boto3.client("sagemaker")
    sagemaker.create_endpoint_config(EndpointConfigName="answered-split", ProductionVariants=variants)
    sagemaker.create_endpoint(EndpointName="answered-split", EndpointConfigName="answered-split")
    assert status("answered-split") == ("InService", None)
    runtime = boto3.client("sagemaker-runtime")
    answer = runtime.invoke_endpoint(EndpointName="answered-split", Body=FRAUD, TargetVariant="Challenger")
    assert answer["Body"].read() == b"0.5"


def test_a_shadow_variant_runs_its_own_model_on_the_copy_and_its_refusal_never_reaches_the_caller(
    xgboost_artifact: bytes, sklearn_artifact: bytes
) -> None:
    endpoint("champion", seed.XGBOOST_IMAGE, xgboost_artifact)
    endpoint("challenger", SKLEARN_IMAGE, sklearn_artifact)
    fleet: Any = {"InitialInstanceCount": 1, "InstanceType": "ml.m5.large", "InitialVariantWeight": 1.0}
    production: Any = {"VariantName": "AllTraffic", "ModelName": "champion", **fleet}
    shadow: Any = {**production, "VariantName": "Challenger", "ModelName": "challenger"}
    shadowed_endpoint(production, shadow)
    runtime = boto3.client("sagemaker-runtime")
    answer = runtime.invoke_endpoint(EndpointName=ENDPOINT, Body=FRAUD, ContentType="text/csv")  # one row
    assert answer["InvokedProductionVariant"] == "AllTraffic" and float(answer["Body"].read()) > 0.9
    assert (
        statistic("Invocation5XXErrors", "Challenger") == 1.0
    )  # scikit-learn's container refuses a single CSV row (a 500): it really ran
