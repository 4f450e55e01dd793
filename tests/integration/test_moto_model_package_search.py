"""devstack.moto_ext.model_package_search: Search of model packages compares, sorts and pages as SageMaker does."""

from __future__ import annotations

import time
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError

from devstack import seed


@pytest.fixture
def sagemaker(aws: None) -> Any:
    client = boto3.client("sagemaker")
    seed.create_group(client)
    return client


def registered(sagemaker: Any, count: int) -> list[str]:
    return [seed.register_version(sagemaker, None, f"v{n}") for n in range(count)]


def created(sagemaker: Any, arn: str) -> str:
    moment = sagemaker.describe_model_package(ModelPackageName=arn)["CreationTime"]
    return str(moment.isoformat())


def test_pages_by_max_results_newest_change_first_by_default(sagemaker: Any) -> None:
    arns = registered(sagemaker, 3)
    for arn in (arns[0], arns[2]):  # v3 changed last
        time.sleep(0.005)  # LastModifiedTime has millisecond resolution
        sagemaker.update_model_package(ModelPackageArn=arn, ModelApprovalStatus="Approved")
    first = sagemaker.search(Resource="ModelPackage", MaxResults=2)
    second = sagemaker.search(Resource="ModelPackage", MaxResults=2, NextToken=first["NextToken"])
    found = [r["ModelPackage"]["ModelPackageArn"] for page in (first, second) for r in page["Results"]]
    assert found == [arns[2], arns[0], arns[1]] and "NextToken" not in second  # never changed: last


def test_compares_times_and_text_and_joins_filters_with_and_or_or(sagemaker: Any) -> None:
    arns = registered(sagemaker, 3)
    since = created(sagemaker, arns[1])

    def search(*filters: dict[str, str], operator: str = "And") -> list[str]:
        expression = {"Filters": list(filters), "Operator": operator}
        results = sagemaker.search(Resource="ModelPackage", SearchExpression=expression, SortBy="CreationTime")
        return sorted(r["ModelPackage"]["ModelPackageArn"] for r in results["Results"])

    later = {"Name": "CreationTime", "Operator": "GreaterThanOrEqualTo", "Value": since}
    assert search(later) == sorted(arns[1:])
    assert search({"Name": "CreationTime", "Operator": "LessThan", "Value": since}) == [arns[0]]
    first = {"Name": "ModelPackageVersion", "Operator": "Equals", "Value": "1"}
    assert search(later, first) == [] and search(later, first, operator="Or") == sorted(arns)
    assert search({"Name": "LastModifiedTime", "Operator": "Exists"}) == []  # nothing changed since registering


def test_a_token_it_did_not_give_is_refused(sagemaker: Any) -> None:
    registered(sagemaker, 1)
    with pytest.raises(ClientError) as refused:
        sagemaker.search(Resource="ModelPackage", NextToken="not-a-token")
    assert refused.value.response["Error"]["Code"] == "ValidationException"


def test_the_moto_server_serves_the_same_search() -> None:
    from datetime import UTC, datetime, timedelta

    from moto.server import ThreadedMotoServer

    from chalicelib.adapters.model_packages.listing import RegistrySearch
    from devstack.moto_ext import install

    install()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    try:
        client = boto3.client("sagemaker", endpoint_url=f"http://{host}:{port}")
        seed.create_group(client, "server-search")
        arn = seed.register_version(client, None, "a", group="server-search")
        since = datetime.now(UTC) - timedelta(minutes=5)
        found = [v.arn for page in RegistrySearch(client).changed_since(since) for v in page]
        assert arn in found and list(RegistrySearch(client).changed_since(datetime.now(UTC) + timedelta(1))) == []
    finally:
        server.stop()


def test_a_version_registered_while_a_search_reads_the_registry_never_breaks_the_search(
    sagemaker: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from moto.sagemaker.models import ModelPackage, sagemaker_backends

    registered(sagemaker, 2)
    packages = sagemaker_backends["123456789012"]["us-east-1"].model_packages
    describe = ModelPackage.gen_response_object

    def registering_meanwhile(package: Any) -> Any:  # another client's CreateModelPackage, between two reads
        packages.setdefault("arriving", package)
        return describe(package)

    monkeypatch.setattr(ModelPackage, "gen_response_object", registering_meanwhile)
    found = sagemaker.search(Resource="ModelPackage")["Results"]
    assert len(found) == 2  # the registry as the search began: "dictionary changed size" was a 500
