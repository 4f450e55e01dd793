"""A release across accounts, locally: the registry in the app's moto account, staging in another account and
region, production in a third, each reached through its deploy role. Shared by `make demo-accounts` and the tests."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import boto3

from devstack import demo_setup, seed

HOME = ("123456789012", "us-east-1")
STAGING_AT = ("222222222222", "eu-west-1")
PRODUCTION_AT = ("333333333333", "us-east-1")
STAGING_ROLE = "arn:aws:iam::222222222222:role/model-shepherd-deploy"
PRODUCTION_ROLE = "arn:aws:iam::333333333333:role/model-shepherd-deploy"


def accounts_policies(directory: Path, group: str = seed.GROUP) -> dict[str, Any]:
    """The demo's policies in `directory`, the group's stages placed in the other accounts; its release section."""
    path = demo_setup.demo_policies(directory) / f"{group}.json"
    document = json.loads(path.read_text(encoding="utf-8"))
    release = document["release"]
    release["staging"].update(account=STAGING_AT[0], region=STAGING_AT[1], role_arn=STAGING_ROLE)
    release["production"].update(role_arn=PRODUCTION_ROLE)
    path.write_text(json.dumps(document, indent=2), encoding="utf-8")
    found: dict[str, Any] = release
    return found


def in_account(aws_url: str, sts: Any, role: str, service: str, region: str = HOME[1]) -> Any:
    """A client of the role's account, as moto sees credentials from AssumeRole."""
    granted = sts.assume_role(RoleArn=role, RoleSessionName="demo")["Credentials"]
    return boto3.client(
        service,  # type: ignore[call-overload]
        endpoint_url=aws_url,
        region_name=region,
        aws_access_key_id=granted["AccessKeyId"],
        aws_secret_access_key=granted["SecretAccessKey"],
        aws_session_token=granted["SessionToken"],
    )


def serving(sagemaker: Any, endpoint: str) -> int | None:
    """The version an endpoint serves (its model names the package); None while there is no endpoint."""
    try:
        config = sagemaker.describe_endpoint(EndpointName=endpoint)["EndpointConfigName"]
    except sagemaker.exceptions.ClientError:
        return None
    model = sagemaker.describe_endpoint_config(EndpointConfigName=config)["ProductionVariants"][0]["ModelName"]
    package: str = sagemaker.describe_model(ModelName=model)["PrimaryContainer"]["ModelPackageName"]
    return int(package.rsplit("/", 1)[1])
