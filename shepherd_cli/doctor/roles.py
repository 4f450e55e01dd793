"""The functions' roles allow what the code needs: each function, as deployed, runs as a role that allows
every statement of its generated policy, by IAM policy simulation (SimulatePrincipalPolicy) of that role."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from botocore.exceptions import ClientError

from chalicelib.adapters.aws import error_code
from shepherd_cli.doctor.event_sources import event_sources
from shepherd_cli.doctor.expected_policies import SHARED, expected_policies, function_name
from shepherd_cli.doctor.results import Account, Check, fail, ok, refused

ALLOWED = "allowed"
CONDITION_OPERATORS = ("StringEquals", "StringLike")
REST_API_HANDLER = "api_handler"


def check_roles(account: Account) -> list[Check]:
    policies = expected_policies(account.stage, account.environment, account.project)
    if SHARED in policies:  # one policy for every function: each function's role must allow all of it
        functions = [REST_API_HANDLER, *(source.handler for source in event_sources())]
        policies = {function: policies[SHARED] for function in functions}
    return [check_function_role(account, function, document) for function, document in policies.items()]


def check_function_role(account: Account, function: str, document: Mapping[str, Any]) -> Check:
    name, deployed = f"role:{function}", function_name(account.stage, function)
    try:
        role_arn = str(account.client("lambda").get_function_configuration(FunctionName=deployed)["Role"])
    except ClientError as error:
        if error_code(error) == "ResourceNotFoundException":
            return fail(name, f"function {deployed} does not exist: deploy the app")
        return refused(name, error, f"cannot read function {deployed}")
    return check_role(account, name, role_arn, document)


def check_role(account: Account, name: str, role_arn: str, document: Mapping[str, Any]) -> Check:
    role = role_arn.rsplit("/", 1)[-1]
    try:
        denied = [refusal for statement in _allows(document) for refusal in _simulate(account, role_arn, statement)]
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


def _simulate(account: Account, role_arn: str, statement: Mapping[str, Any]) -> list[str]:
    actions = _listed(statement["Action"])
    resources = [resource for resource in _listed(statement.get("Resource", "*")) if resource != "*"]
    request: dict[str, Any] = {"PolicySourceArn": role_arn, "ActionNames": actions}
    if resources:
        request["ResourceArns"] = resources
    if context := _context(statement.get("Condition") or {}):
        request["ContextEntries"] = context
    denied = []
    for page in account.client("iam").get_paginator("simulate_principal_policy").paginate(**request):
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
                # A single-valued key: one request carries one value (the first of those the statement allows).
                first = _listed(values)[:1]
                entries.append({"ContextKeyName": key, "ContextKeyValues": first, "ContextKeyType": "string"})
    return entries


def _listed(value: Any) -> list[str]:
    return [value] if isinstance(value, str) else [str(item) for item in value]
