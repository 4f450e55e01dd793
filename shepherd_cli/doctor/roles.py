"""The functions' roles allow what the code needs: each statement of the generated policy, simulated
(SimulatePrincipalPolicy) against the deployed role, found in the stage's CloudFormation stack."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from botocore.exceptions import ClientError

from chalicelib.adapters.aws import error_code
from shepherd_cli.doctor.expected_policies import APP, expected_policies
from shepherd_cli.doctor.results import Account, Check, fail, ok, refused

ALLOWED = "allowed"
CONDITION_OPERATORS = ("StringEquals", "StringLike")


def check_roles(account: Account) -> list[Check]:
    stack = f"{APP}-{account.stage}"
    try:
        roles = stack_roles(account, stack)
    except ClientError as error:
        if error_code(error) == "ValidationError":  # CloudFormation's answer for a stack that is not there
            return [fail("roles", f"stack {stack} does not exist: deploy the app (chalice deploy / make package)")]
        return [refused("roles", error, f"cannot list the resources of stack {stack}")]
    checks = []
    for function, document in expected_policies(account.stage, account.environment, account.project).items():
        role = _role_for(function, roles)
        name = f"role:{function or 'functions'}"
        if role is None:
            checks.append(fail(name, f"stack {stack} has no role for {function or 'the functions'}: deploy the app"))
        else:
            checks.append(check_role(account, name, role, document))
    return checks


def stack_roles(account: Account, stack: str) -> dict[str, str]:
    """Logical id -> role name, for every AWS::IAM::Role of the stack."""
    pages = account.client("cloudformation").get_paginator("list_stack_resources").paginate(StackName=stack)
    return {
        resource["LogicalResourceId"]: resource["PhysicalResourceId"]
        for page in pages
        for resource in page.get("StackResourceSummaries", [])
        if resource["ResourceType"] == "AWS::IAM::Role" and resource.get("PhysicalResourceId")
    }


def _role_for(function: str, roles: Mapping[str, str]) -> str | None:
    if not function:  # one role for all: Chalice's DefaultRole (or the only role there is)
        return roles.get("DefaultRole") or (next(iter(roles.values())) if len(roles) == 1 else None)
    wanted = function.replace("_", "").replace("-", "").lower()
    for logical, physical in roles.items():
        if logical.lower() == f"{wanted}role" or physical.endswith(f"-{function}"):
            return physical
    return None


def check_role(account: Account, name: str, role: str, document: Mapping[str, Any]) -> Check:
    iam = account.client("iam")
    try:
        arn = iam.get_role(RoleName=role)["Role"]["Arn"]
        denied = [refusal for statement in _allows(document) for refusal in _simulate(iam, arn, statement)]
    except ClientError as error:
        if error_code(error) == "NoSuchEntity":
            return fail(name, f"role {role} does not exist: deploy the app")
        return refused(name, error, f"cannot simulate role {role}")
    if denied:
        shown = ", ".join(denied[:5]) + (f" and {len(denied) - 5} more" if len(denied) > 5 else "")
        return fail(name, f"role {role} does not allow {shown}: deploy the generated policy (make iam)")
    return ok(name, f"role {role} allows every action the generated policy lists")


def _allows(document: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    statements = document.get("Statement", [])
    statements = [statements] if isinstance(statements, Mapping) else statements
    return [statement for statement in statements if statement.get("Effect") == "Allow" and "Action" in statement]


def _simulate(iam: Any, role_arn: str, statement: Mapping[str, Any]) -> list[str]:
    actions = _listed(statement["Action"])
    resources = [resource for resource in _listed(statement.get("Resource", "*")) if resource != "*"]
    request: dict[str, Any] = {"PolicySourceArn": role_arn, "ActionNames": actions}
    if resources:
        request["ResourceArns"] = resources
    if context := _context(statement.get("Condition") or {}):
        request["ContextEntries"] = context
    denied = []
    for page in iam.get_paginator("simulate_principal_policy").paginate(**request):
        for result in page.get("EvaluationResults", []):
            for item in result.get("ResourceSpecificResults") or [
                {
                    "EvalResourceName": result.get("EvalResourceName", "*"),
                    "EvalResourceDecision": result["EvalDecision"],
                }
            ]:
                if item["EvalResourceDecision"] != ALLOWED:
                    denied.append(f"{result['EvalActionName']} on {item['EvalResourceName']}")
    return denied


def _context(conditions: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The values the statement's string conditions expect, so the simulation asks as the code would."""
    entries = []
    for operator, tests in conditions.items():
        if operator in CONDITION_OPERATORS:
            for key, values in tests.items():
                entries.append({"ContextKeyName": key, "ContextKeyValues": _listed(values), "ContextKeyType": "string"})
    return entries


def _listed(value: Any) -> list[str]:
    return [value] if isinstance(value, str) else [str(item) for item in value]
