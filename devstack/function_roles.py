"""The functions and their roles, as a deploy makes them: each function runs as its own role, whose inline
policy is the one `make iam` renders for the stage. Also the SageMaker execution role the release policies
name. `shepherd doctor` reads each function's role from Lambda and simulates it.

The functions are never invoked (the relay runs the handlers in this process): they exist so that the
account looks like a deployed one. They are made through IAM and Lambda, not CloudFormation: moto's
CloudFormation imports every moto service on its first request, seconds of the stack's start.
"""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Callable, Mapping
from typing import Any

from devstack.resources import ACCOUNT

STAGE = "local"
RUNTIME = "python3.12"
LAMBDA_TRUST = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}],
}
SAGEMAKER_TRUST = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Principal": {"Service": "sagemaker.amazonaws.com"}, "Action": "sts:AssumeRole"}],
}


def create_function_roles(client: Callable[[str], Any], environment: Mapping[str, str]) -> list[str]:
    """Each function `model-shepherd-local-<name>` with its role, named as Chalice names them; returns the functions."""
    from shepherd_cli.doctor.expected_policies import expected_policies, function_name, role_name

    iam, lambda_, functions = client("iam"), client("lambda"), []
    for function, document in expected_policies(STAGE, environment).items():
        role = role_name(STAGE, function)
        arn = iam.create_role(RoleName=role, AssumeRolePolicyDocument=json.dumps(LAMBDA_TRUST))["Role"]["Arn"]
        iam.put_role_policy(RoleName=role, PolicyName=role, PolicyDocument=json.dumps(document))
        functions.append(function_name(STAGE, function))
        lambda_.create_function(
            FunctionName=functions[-1],
            Runtime=RUNTIME,
            Role=arn,
            Handler=f"app.{function}",
            Code={"ZipFile": _empty_package()},
        )
    return functions


def _empty_package() -> bytes:
    package = io.BytesIO()
    with zipfile.ZipFile(package, "w") as archive:
        archive.writestr("app.py", "")  # never run: the relay invokes the app's handlers in this process
    return package.getvalue()


def create_execution_role(iam: Any, role_arn: str) -> None:
    """The role SageMaker assumes to run the models (named by each release policy)."""
    prefix = f"arn:aws:iam::{ACCOUNT}:role/"
    if role_arn.startswith(prefix):
        iam.create_role(RoleName=role_arn[len(prefix) :], AssumeRolePolicyDocument=json.dumps(SAGEMAKER_TRUST))


def create_roles(client: Callable[[str], Any], environment: Mapping[str, str]) -> None:
    """Every role the local stack's app needs: the functions' (from their settings) and SageMaker's."""
    from chalicelib.adapters.policy_files import FilePolicyRepository
    from chalicelib.shared.settings import load_settings

    create_function_roles(client, environment)
    repository = FilePolicyRepository(load_settings(environment).policy_dir)
    arns: set[str] = set()
    for group in repository.groups():
        release = repository.get(group).section("release")
        arns.add(release.get("execution_role_arn", ""))
        # A stage's own role, when the stage is in the app's account (the others are their accounts' to make).
        arns.update(release.get(stage, {}).get("execution_role_arn", "") for stage in ("staging", "production"))
    for arn in sorted(arn for arn in arns if arn):
        create_execution_role(client("iam"), arn)
