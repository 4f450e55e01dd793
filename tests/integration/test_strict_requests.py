"""The strict world: clients and the local stack's moto server refuse what AWS refuses, as AWS does."""

from __future__ import annotations

import contextlib
import json
import urllib.error
import urllib.request
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError

from chalicelib.adapters.aws import error_code, make_client
from devstack import seed, servers
from devstack.aws_validation import recorder, switch
from devstack.environment import aws_client_factory
from tests.support.strict_refusals import unexpected_refusals

PACKAGE_ARN = "arn:aws:sagemaker:us-east-1:123456789012:model-package/fraud-detection-models/1"
COMPACT_JSON = {"shepherd:metrics": '{"auc":0.95}'}
METADATA_PATTERN = "Member must satisfy regular expression pattern: ([\\p{L}\\p{Z}\\p{N}_.:\\/=+\\-@]*)${1,256}"
pytestmark = pytest.mark.refuses_requests  # every test here sends what AWS refuses, on purpose
SIGNED = "AWS4-HMAC-SHA256 Credential=testing/20260101/us-east-1/{}/aws4_request, SignedHeaders=host, Signature=0"


def registered_version(sagemaker: Any) -> str:
    seed.create_group(sagemaker, "fraud-detection-models")
    return str(seed.register_version(sagemaker, None, "v1", group="fraud-detection-models"))


def stored_metadata(sagemaker: Any, arn: str) -> dict[str, str]:
    described = sagemaker.describe_model_package(ModelPackageName=arn)
    return dict(described.get("CustomerMetadataProperties", {}))


@pytest.mark.usefixtures("aws")
def test_a_client_refuses_compact_json_metadata_as_sagemaker_would() -> None:
    sagemaker = boto3.client("sagemaker")
    arn = registered_version(sagemaker)
    with pytest.raises(ClientError) as refused:
        sagemaker.update_model_package(ModelPackageArn=arn, CustomerMetadataProperties=COMPACT_JSON)
    assert error_code(refused.value) == "ValidationException"
    assert refused.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert refused.value.response["Error"]["Message"] == (
        "1 validation error detected: Value '{\"auc\":0.95}' at 'customerMetadataProperties.shepherd:metrics' "
        f"failed to satisfy constraint: {METADATA_PATTERN}"
    )
    assert "shepherd:metrics" not in stored_metadata(sagemaker, arn)


@pytest.mark.usefixtures("aws")
def test_the_apps_clients_and_the_local_stacks_clients_refuse_it_too() -> None:
    for sagemaker in (make_client("sagemaker"), aws_client_factory("http://127.0.0.1:1")("sagemaker")):
        with pytest.raises(ClientError, match=r"at 'customerMetadataProperties\.shepherd:metrics'"):
            sagemaker.update_model_package(ModelPackageArn=PACKAGE_ARN, CustomerMetadataProperties=COMPACT_JSON)


@pytest.mark.usefixtures("aws")
def test_the_in_process_moto_refuses_it_when_the_client_does_not_check() -> None:
    sagemaker = boto3.client("sagemaker")
    arn = registered_version(sagemaker)
    with switch.disabled("client"), pytest.raises(ClientError, match=r"Member must satisfy regular expression"):
        sagemaker.update_model_package(ModelPackageArn=arn, CustomerMetadataProperties=COMPACT_JSON)


@pytest.mark.usefixtures("aws")
def test_with_the_check_off_moto_accepts_what_aws_would_refuse() -> None:
    sagemaker = boto3.client("sagemaker")
    arn = registered_version(sagemaker)
    with switch.disabled():
        sagemaker.update_model_package(ModelPackageArn=arn, CustomerMetadataProperties=COMPACT_JSON)
    assert stored_metadata(sagemaker, arn)["shepherd:metrics"] == COMPACT_JSON["shepherd:metrics"]


@pytest.fixture
def moto_url() -> Iterator[str]:
    """The local stack's moto server, in this process, on a free loopback port."""
    from devstack.moto_ext import install

    install()
    server = servers.moto_server("127.0.0.1", servers.free_port())
    server.start()
    try:
        yield f"http://127.0.0.1:{server.port}"
    finally:
        server.stop()


def unchecked_client(service: str, url: str) -> Any:
    return boto3.client(
        service,  # type: ignore[call-overload]
        endpoint_url=url,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )


def post(url: str, body: bytes, headers: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            return answer.status, dict(answer.headers), answer.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def test_the_local_stacks_server_answers_a_json_request_with_awss_validation_error(moto_url: str) -> None:
    body = json.dumps({"ModelPackageArn": PACKAGE_ARN, "CustomerMetadataProperties": COMPACT_JSON}).encode()
    headers = {
        "X-Amz-Target": "SageMaker.UpdateModelPackage",
        "Content-Type": "application/x-amz-json-1.1",
        "Authorization": SIGNED.format("sagemaker"),
    }
    status, _, answer = post(moto_url, body, headers)
    assert status == 400
    assert json.loads(answer) == {
        "__type": "com.amazon.coral.validate#ValidationException",
        "message": "1 validation error detected: Value '{\"auc\":0.95}' at "
        f"'customerMetadataProperties.shepherd:metrics' failed to satisfy constraint: {METADATA_PATTERN}",
    }


def test_the_local_stacks_server_refuses_an_sdk_request_the_client_did_not_check(moto_url: str) -> None:
    sagemaker = unchecked_client("sagemaker", moto_url)
    arn = registered_version(sagemaker)
    with switch.disabled("client"), pytest.raises(ClientError) as refused:
        sagemaker.update_model_package(ModelPackageArn=arn, CustomerMetadataProperties=COMPACT_JSON)
    assert error_code(refused.value) == "ValidationException"
    assert METADATA_PATTERN in refused.value.response["Error"]["Message"]
    assert "shepherd:metrics" not in stored_metadata(sagemaker, arn)


def test_the_local_stacks_server_answers_a_query_request_with_an_xml_error_response(moto_url: str) -> None:
    body = b"Action=CreateRole&Version=2010-05-08&RoleName=bad%20role%28&AssumeRolePolicyDocument=%7B%7D"
    headers = {"Content-Type": "application/x-www-form-urlencoded", "Authorization": SIGNED.format("iam")}
    status, _, answer = post(moto_url, body, headers)
    assert status == 400
    assert b"<ErrorResponse" in answer
    assert b"<Code>ValidationError</Code>" in answer
    assert b"Value 'bad role(' at 'roleName' failed to satisfy constraint" in answer


def test_the_local_stacks_server_refuses_a_rest_json_request_by_its_uri(moto_url: str) -> None:
    runtime = unchecked_client("sagemaker-runtime", moto_url)
    with switch.disabled("client"), pytest.raises(ClientError) as refused:
        runtime.invoke_endpoint(EndpointName="not_a_valid_name", Body=b"{}")
    assert error_code(refused.value) == "ValidationException"
    assert "Value 'not_a_valid_name' at 'endpointName'" in refused.value.response["Error"]["Message"]


def test_the_local_stacks_server_still_serves_requests_within_the_model(moto_url: str) -> None:
    sagemaker = unchecked_client("sagemaker", moto_url)
    arn = registered_version(sagemaker)
    with switch.disabled("client"):
        sagemaker.update_model_package(ModelPackageArn=arn, CustomerMetadataProperties={"shepherd:metrics": "auc=0.95"})
    assert stored_metadata(sagemaker, arn)["shepherd:metrics"] == "auc=0.95"


@pytest.mark.usefixtures("aws")
def test_a_query_service_refuses_with_its_own_code() -> None:
    with pytest.raises(ClientError) as refused:
        boto3.client("iam").create_role(RoleName="bad role(", AssumeRolePolicyDocument="{}")
    assert error_code(refused.value) == "ValidationError"
    assert "Value 'bad role(' at 'roleName'" in refused.value.response["Error"]["Message"]


@pytest.mark.usefixtures("aws")
def test_each_refusal_is_logged_with_the_code_and_the_test_that_sent_it(
    tmp_path: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    log = tmp_path / "refusals.jsonl"
    monkeypatch.setenv(recorder.LOG_VARIABLE, str(log))
    with pytest.raises(ClientError):
        boto3.client("sagemaker").update_model_package(
            ModelPackageArn=PACKAGE_ARN, CustomerMetadataProperties=COMPACT_JSON
        )
    (entry,) = [json.loads(line) for line in log.read_text().splitlines()]
    assert (entry["side"], entry["service"], entry["operation"]) == ("client", "sagemaker", "UpdateModelPackage")
    assert entry["violations"][0]["path"] == "customerMetadataProperties.shepherd:metrics"
    assert entry["test"].startswith("tests/integration/test_strict_requests.py::test_each_refusal_is_logged")
    assert any("test_each_refusal_is_logged" in caller for caller in entry["callers"])


@pytest.mark.usefixtures("aws")
def test_a_refusal_the_code_swallowed_still_fails_the_test_that_caused_it() -> None:
    recorder.take()
    # Swallowed, as a notifier that never fails its caller would: the test would pass on a log line.
    with contextlib.suppress(ClientError):
        boto3.client("sagemaker").update_model_package(
            ModelPackageArn=PACKAGE_ARN, CustomerMetadataProperties=COMPACT_JSON
        )
    problem = unexpected_refusals(recorder.take(), expected=False)
    assert problem is not None and problem.startswith("AWS would have refused 1 request(s) this test caused")
    assert "client: sagemaker UpdateModelPackage: customerMetadataProperties.shepherd:metrics" in problem
    assert "test_strict_requests.py:test_a_refusal_the_code_swallowed" in problem  # who sent it
    assert unexpected_refusals([], expected=False) is None
