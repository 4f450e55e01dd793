"""The functions' roles, as `chalice deploy` makes them: a CloudFormation stack holding each role, its
policy the one `make iam` renders for the stage, inline. Also the SageMaker execution role the release
policies name. `shepherd doctor` finds the roles in the stack and simulates them.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any

from devstack.resources import ACCOUNT

APP = "model-shepherd"
STAGE = "local"
LAMBDA_TRUST = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}],
}
SAGEMAKER_TRUST = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Principal": {"Service": "sagemaker.amazonaws.com"}, "Action": "sts:AssumeRole"}],
}


def create_function_roles(client: Callable[[str], Any], environment: Mapping[str, str]) -> str:
    """The stack `model-shepherd-local` with the functions' roles, named and keyed as Chalice's; returns its name."""
    from shepherd_cli.doctor.expected_policies import expected_policies, role_name

    resources: dict[str, Any] = {}
    for function, document in expected_policies(STAGE, environment).items():
        logical = f"{function.replace('_', '').replace('-', '').title()}Role" if function else "DefaultRole"
        resources[logical] = {
            "Type": "AWS::IAM::Role",
            "Properties": {
                "RoleName": role_name(STAGE, function),
                "AssumeRolePolicyDocument": LAMBDA_TRUST,
                "Policies": [{"PolicyName": role_name(STAGE, function), "PolicyDocument": document}],
            },
        }
    name = f"{APP}-{STAGE}"
    client("cloudformation").create_stack(StackName=name, TemplateBody=json.dumps({"Resources": resources}))
    return name


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
    arns = {repository.get(group).section("release").get("execution_role_arn") for group in repository.groups()}
    for arn in sorted(arn for arn in arns if arn):
        create_execution_role(client("iam"), arn)
