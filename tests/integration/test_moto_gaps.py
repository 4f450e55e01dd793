"""What plain moto (the pinned version, without devstack.moto_ext) still lacks: one test per gap a patch fills.

After a moto upgrade, a test failing here names a gap moto has closed: remove the patches that name it
(devstack/moto_ext), then this test. Every test runs on moto as released, whether or not this process
has installed the patches.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import boto3
import pytest

from devstack import seed
from devstack.moto_ext import declared_patches, endpoint_lifecycle
from devstack.moto_ext.patching import plain_moto
from tests.support.local_moto import (
    ENDPOINT_EVENTS,
    create_endpoint,
    listings_of_moto_for,
    racing_conditional_puts,
    rule_to_queue,
)

Test = Callable[..., None]
SHOWN: dict[str, str] = {}  # gap -> the test showing plain moto still has it


def shows(gap: str) -> Callable[[Test], Test]:
    def register(test: Test) -> Test:
        SHOWN[gap] = test.__name__
        return test

    return register


@pytest.fixture(autouse=True)
def _plain_moto() -> Iterator[None]:
    from moto import mock_aws

    with plain_moto(), mock_aws():
        yield


def sagemaker() -> Any:
    return boto3.client("sagemaker")


def registered(count: int = 1) -> list[str]:
    seed.create_group(sagemaker())
    return [seed.register_version(sagemaker(), None, f"v{n}") for n in range(count)]


def test_every_patch_names_a_gap_shown_here() -> None:
    assert {patch.gap for patch in declared_patches()} == set(SHOWN)


@shows("no UpdateEndpoint")
def test_plain_moto_has_no_update_endpoint() -> None:
    create_endpoint()
    with pytest.raises(NotImplementedError, match="update_endpoint"):
        sagemaker().update_endpoint(EndpointName="fraud-staging", EndpointConfigName="config-b")


@shows("no DeleteModelPackage")
def test_plain_moto_has_no_delete_model_package() -> None:
    [arn] = registered()
    with pytest.raises(NotImplementedError, match="delete_model_package"):
        sagemaker().delete_model_package(ModelPackageName=arn)


@shows("no DeleteModelPackageGroup")
def test_plain_moto_has_no_delete_model_package_group() -> None:
    seed.create_group(sagemaker())
    with pytest.raises(NotImplementedError, match="delete_model_package_group"):
        sagemaker().delete_model_package_group(ModelPackageGroupName=seed.GROUP)


@shows("no ModelPackageGroupPolicy")
def test_plain_moto_has_no_model_package_group_policy() -> None:
    seed.create_group(sagemaker())
    with pytest.raises(NotImplementedError, match="put_model_package_group_policy"):
        sagemaker().put_model_package_group_policy(ModelPackageGroupName=seed.GROUP, ResourcePolicy="{}")
    with pytest.raises(NotImplementedError, match="get_model_package_group_policy"):
        sagemaker().get_model_package_group_policy(ModelPackageGroupName=seed.GROUP)


@shows("version numbers reused after a delete")
def test_plain_moto_reuses_a_version_number_after_a_delete() -> None:
    from moto.sagemaker.models import sagemaker_backends

    first, _, third = registered(3)
    del sagemaker_backends["123456789012"]["us-east-1"].model_packages[first]  # what a delete leaves behind
    fourth = seed.register_version(sagemaker(), None, "v3")
    assert fourth == third  # numbered 3 again: the live version 3 is overwritten
    assert sagemaker().describe_model_package(ModelPackageName=third)["ModelPackageDescription"].endswith(" v3")


@shows("no default approval status")
def test_plain_moto_registers_a_version_without_an_approval_status() -> None:
    seed.create_group(sagemaker())
    spec = {"Containers": [{"Image": seed.XGBOOST_IMAGE}], "SupportedContentTypes": ["text/csv"]}
    arn = sagemaker().create_model_package(
        ModelPackageGroupName=seed.GROUP, InferenceSpecification={**spec, "SupportedResponseMIMETypes": ["text/csv"]}
    )["ModelPackageArn"]
    assert "ModelApprovalStatus" not in sagemaker().describe_model_package(ModelPackageName=arn)


@shows("update wipes omitted fields")
def test_plain_moto_update_model_package_wipes_what_it_omits() -> None:
    [arn] = registered()
    sagemaker().update_model_package(ModelPackageArn=arn, ModelApprovalStatus="Approved", ApprovalDescription="ok")
    sagemaker().update_model_package(ModelPackageArn=arn, CustomerMetadataProperties={"reviewed": "yes"})
    described = sagemaker().describe_model_package(ModelPackageName=arn)
    assert "ModelApprovalStatus" not in described
    assert "ApprovalDescription" not in described


@shows("no ModelLifeCycle on model packages")
def test_plain_moto_drops_a_model_life_cycle() -> None:
    [arn] = registered()
    lifecycle = {"Stage": "Staging", "StageStatus": "InProgress", "StageDescription": "deploying"}
    sagemaker().update_model_package(ModelPackageArn=arn, ModelLifeCycle=lifecycle)
    assert "ModelLifeCycle" not in sagemaker().describe_model_package(ModelPackageName=arn)


@shows("no tags on model packages")
def test_plain_moto_cannot_tag_a_model_package_version() -> None:
    [arn] = registered()
    with pytest.raises(ValueError, match="unpack"):  # moto cannot parse a group/version ARN
        sagemaker().add_tags(ResourceArn=arn, Tags=[{"Key": "stage", "Value": "canary"}])


@shows("a version cannot be made old")
def test_plain_moto_keeps_creation_times_whatever_the_tags() -> None:
    # No API moves a CreationTime, and plain moto cannot even tag a version: a tagged model shows it.
    sagemaker().create_model(ModelName="m", ExecutionRoleArn="arn:aws:iam::123456789012:role/r", PrimaryContainer={})
    arn = sagemaker().describe_model(ModelName="m")["ModelArn"]
    created = sagemaker().describe_model(ModelName="m")["CreationTime"]
    sagemaker().add_tags(ResourceArn=arn, Tags=[{"Key": "shepherd-local:age-days", "Value": "90"}])
    assert sagemaker().describe_model(ModelName="m")["CreationTime"] == created
    assert {"Key": "shepherd-local:age-days", "Value": "90"} in sagemaker().list_tags(ResourceArn=arn)["Tags"]


@shows("no model package events")
def test_plain_moto_emits_no_model_package_events() -> None:
    received = rule_to_queue({"source": ["aws.sagemaker"]})
    [arn] = registered()
    sagemaker().update_model_package(ModelPackageArn=arn, ModelApprovalStatus="Approved")
    assert received() == []


@shows("events lose their account")
def test_plain_moto_delivers_events_without_their_account() -> None:
    received = rule_to_queue({"source": ["test.source"]})
    boto3.client("events").put_events(Entries=[{"Source": "test.source", "DetailType": "t", "Detail": "{}"}])
    [event] = received()
    assert "account" not in event
    assert event["source"] == "test.source"


@shows("a schedule rule receives every event")
def test_plain_moto_sends_every_event_to_a_schedule_rule() -> None:
    sqs, events = boto3.client("sqs"), boto3.client("events")
    url = sqs.create_queue(QueueName="scheduled")["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    events.put_rule(Name="hourly", ScheduleExpression="rate(1 hour)")
    events.put_targets(Rule="hourly", Targets=[{"Id": "q", "Arn": arn}])
    events.put_events(Entries=[{"Source": "test.source", "DetailType": "t", "Detail": "{}"}])
    assert len(sqs.receive_message(QueueUrl=url).get("Messages", [])) == 1


@shows("endpoints InService at once")
def test_plain_moto_endpoints_are_in_service_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(endpoint_lifecycle.LIFECYCLE, "schedule", lambda seconds, action: None)  # never settles
    create_endpoint()
    assert sagemaker().describe_endpoint(EndpointName="fraud-staging")["EndpointStatus"] == "InService"


@shows("no endpoint events")
def test_plain_moto_emits_no_endpoint_events() -> None:
    received = rule_to_queue(ENDPOINT_EVENTS)
    create_endpoint()
    sagemaker().delete_endpoint(EndpointName="fraud-staging")
    assert received() == []


@shows("any endpoint answers, uncounted")
def test_plain_moto_answers_any_endpoint_and_counts_nothing() -> None:
    runtime = boto3.client("sagemaker-runtime")
    assert runtime.invoke_endpoint(EndpointName="no-such-endpoint", Body=b"1")["Body"].read() == b"body"
    create_endpoint()
    runtime.invoke_endpoint(EndpointName="fraud-staging", Body=b"1")
    assert boto3.client("cloudwatch").list_metrics(Namespace="AWS/SageMaker")["Metrics"] == []


@shows("invocations lose the endpoint name")
def test_plain_moto_invocations_reach_the_backend_without_an_endpoint_name() -> None:
    from moto.sagemakerruntime.models import sagemakerruntime_backends

    boto3.client("sagemaker-runtime").invoke_endpoint(EndpointName="fraud-staging", Body=b"1")
    assert list(sagemakerruntime_backends["123456789012"]["us-east-1"].results) == [None]


@shows("async invocations ignore the endpoint's output path")
def test_plain_moto_answers_async_invocations_without_the_endpoint_or_its_output_path() -> None:
    answer = boto3.client("sagemaker-runtime").invoke_endpoint_async(
        EndpointName="no-such-endpoint", InputLocation="s3://my-bucket/in/request.csv"
    )
    assert answer["OutputLocation"].startswith("s3://sagemaker-output-")  # a bucket of moto's own, for any name


@shows("conditional writes are not atomic")
def test_plain_moto_lets_two_conditional_puts_both_win(monkeypatch: pytest.MonkeyPatch) -> None:
    assert racing_conditional_puts(monkeypatch) > 1


@shows("requests are not validated")
def test_plain_moto_serves_a_request_aws_refuses() -> None:
    from devstack.aws_validation import switch

    seed.create_group(sagemaker())
    arn = seed.register_version(sagemaker(), "s3://my-bucket/m.json", "v")
    with switch.disabled("client"):  # the client-side check would refuse it before moto sees it
        sagemaker().update_model_package(ModelPackageArn=arn, CustomerMetadataProperties={"k": '{"auc":0.95}'})
    assert sagemaker().describe_model_package(ModelPackageName=arn)["CustomerMetadataProperties"] == {
        "k": '{"auc":0.95}'
    }


@shows("no SimulatePrincipalPolicy")
def test_plain_moto_has_no_simulate_principal_policy() -> None:
    iam = boto3.client("iam")
    arn = iam.create_role(RoleName="r", AssumeRolePolicyDocument="{}")["Role"]["Arn"]
    with pytest.raises(NotImplementedError, match="simulate_principal_policy"):
        iam.simulate_principal_policy(PolicySourceArn=arn, ActionNames=["sns:Publish"])


@shows("every request lists moto's package directory")
def test_plain_moto_server_lists_its_package_directory_for_every_request(monkeypatch: pytest.MonkeyPatch) -> None:
    assert listings_of_moto_for(monkeypatch, requests=3) == (3, {"sagemaker"})


@shows("every receive reads the clock through datetimes, per message")
def test_plain_moto_reads_the_clock_through_datetimes_for_every_message_it_scans(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from moto.sqs import models

    sqs = boto3.client("sqs")
    url = sqs.create_queue(QueueName="scanned")["QueueUrl"]
    sqs.send_message_batch(QueueUrl=url, Entries=[{"Id": str(n), "MessageBody": "m"} for n in range(10)])
    reads: list[bool] = []
    real = getattr(models, "unix_time_millis")  # noqa: B009 - moto imports it from its utils, unexported

    def counted(*args: Any) -> float:
        reads.append(True)
        return float(real(*args))

    monkeypatch.setattr(models, "unix_time_millis", counted)
    sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=1)
    assert len(reads) >= 10


@shows("no time-range Search of model packages, sorted and paged")
def test_plain_moto_cannot_search_model_packages_by_time_nor_page() -> None:
    from datetime import UTC, datetime, timedelta

    from chalicelib.adapters.model_packages.listing import search_request

    registered(3)
    request = search_request(datetime.now(UTC) - timedelta(hours=1))
    assert sagemaker().search(**request)["Results"] == []  # "GreaterThanOrEqualTo" compared as Equals
    one = sagemaker().search(Resource="ModelPackage", MaxResults=1)
    assert len(one["Results"]) == 3 and "NextToken" not in one  # neither a page size nor a next page


@shows("transform jobs neither run nor emit events")
def test_plain_moto_completes_a_transform_job_at_once_writing_and_telling_nothing() -> None:
    received = rule_to_queue({"source": ["aws.sagemaker"], "detail-type": ["SageMaker Transform Job State Change"]})
    boto3.client("s3").create_bucket(Bucket="scoring")
    sagemaker().create_transform_job(
        TransformJobName="job",
        ModelName="model",
        TransformInput={"DataSource": {"S3DataSource": {"S3DataType": "S3Prefix", "S3Uri": "s3://scoring/in/"}}},
        TransformOutput={"S3OutputPath": "s3://scoring/out/"},
        TransformResources={"InstanceType": "ml.m5.large", "InstanceCount": 1},
    )
    assert sagemaker().describe_transform_job(TransformJobName="job")["TransformJobStatus"] == "Completed"
    assert "Contents" not in boto3.client("s3").list_objects_v2(Bucket="scoring")  # no input read, no output
    assert received() == []


def endpoint_of_two_models(champion_weight: float, challenger_weight: float, shadow: bool = False) -> None:
    """The endpoint `prod` on a config of the champion's model and the challenger's (a shadow, or beside it)."""
    for model in ("champion", "challenger"):
        sagemaker().create_model(
            ModelName=model, ExecutionRoleArn="arn:aws:iam::123456789012:role/r", PrimaryContainer={"Image": "i"}
        )
    capacity = {"InstanceType": "ml.m5.large", "InitialInstanceCount": 1}
    champion = {"VariantName": "AllTraffic", "ModelName": "champion", "InitialVariantWeight": champion_weight}
    challenger = {"VariantName": "Challenger", "ModelName": "challenger", "InitialVariantWeight": challenger_weight}
    variants: dict[str, Any] = {"ProductionVariants": [{**champion, **capacity}]}
    key = "ShadowProductionVariants" if shadow else "ProductionVariants"
    variants[key] = [*variants.get(key, []), {**challenger, **capacity}]
    sagemaker().create_endpoint_config(EndpointConfigName="two", **variants)
    sagemaker().create_endpoint(EndpointName="prod", EndpointConfigName="two")


@shows("shadow variants dropped")
def test_plain_moto_drops_a_configs_shadow_variant() -> None:
    endpoint_of_two_models(1.0, 0.5, shadow=True)
    assert "ShadowProductionVariants" not in sagemaker().describe_endpoint_config(EndpointConfigName="two")
    assert "ShadowProductionVariants" not in sagemaker().describe_endpoint(EndpointName="prod")


@shows("a variant of weight 0 has no weight")
def test_plain_moto_shows_no_current_weight_for_a_variant_of_weight_0() -> None:
    endpoint_of_two_models(1.0, 0.0)
    _, challenger = sagemaker().describe_endpoint(EndpointName="prod")["ProductionVariants"]
    assert "CurrentWeight" not in challenger


@shows("new weights at once, even mid-update")
def test_plain_moto_shifts_weights_at_once_even_on_an_endpoint_mid_update() -> None:
    from moto.sagemaker.models import sagemaker_backends

    endpoint_of_two_models(0.9, 0.1)
    sagemaker_backends["123456789012"]["us-east-1"].endpoints["prod"].endpoint_status = "Updating"
    sagemaker().update_endpoint_weights_and_capacities(
        EndpointName="prod", DesiredWeightsAndCapacities=[{"VariantName": "Challenger", "DesiredWeight": 0.5}]
    )
    described = sagemaker().describe_endpoint(EndpointName="prod")
    _, challenger = described["ProductionVariants"]
    assert described["EndpointStatus"] == "InService"  # SageMaker refuses it, then shows Updating until it settles
    assert challenger["CurrentWeight"] == 0.5
    assert "CurrentInstanceCount" not in challenger  # a capacity it was not given is wiped


def metric_queries(*queries: dict[str, Any]) -> dict[str, Any]:
    """Two minutes of ModelLatency and Invocations put on one variant, then GetMetricData of `queries`."""
    from datetime import UTC, datetime, timedelta

    cloudwatch: Any = boto3.client("cloudwatch")
    now = datetime.now(UTC).replace(second=0, microsecond=0)
    dimensions = [{"Name": "EndpointName", "Value": "e"}, {"Name": "VariantName", "Value": "v"}]
    for metric, value in (("ModelLatency", 100.0), ("ModelLatency", 300.0), ("Invocations", 10.0)):
        datum = {
            "MetricName": metric,
            "Dimensions": dimensions,
            "Value": value,
            "Timestamp": now - timedelta(minutes=2),
        }
        cloudwatch.put_metric_data(Namespace="AWS/SageMaker", MetricData=[datum])
    return cloudwatch.get_metric_data(  # type: ignore[no-any-return]
        MetricDataQueries=list(queries), StartTime=now - timedelta(minutes=5), EndTime=now
    )


def stat_query(query_id: str, metric: str, stat: str, returned: bool = True) -> dict[str, Any]:
    dimensions = [{"Name": "EndpointName", "Value": "e"}, {"Name": "VariantName", "Value": "v"}]
    metric_spec = {"Namespace": "AWS/SageMaker", "MetricName": metric, "Dimensions": dimensions}
    return {"Id": query_id, "MetricStat": {"Metric": metric_spec, "Period": 60, "Stat": stat}, "ReturnData": returned}


@shows("no percentiles in GetMetricData")
def test_plain_moto_cannot_answer_a_percentile_query() -> None:
    with pytest.raises(TypeError, match="NoneType"):  # moto computes None for p99 and fails serialising it
        metric_queries(stat_query("p", "ModelLatency", "p99"))


@shows("no metric math between queries")
def test_plain_moto_answers_metric_math_between_queries_with_nothing() -> None:
    answer = metric_queries(
        stat_query("n", "ModelLatency", "Sum", returned=False),
        stat_query("d", "Invocations", "Sum", returned=False),
        {"Id": "r", "Expression": "n / d"},
    )
    assert [(result["Id"], result["Values"]) for result in answer["MetricDataResults"]] == [("r", [])]
