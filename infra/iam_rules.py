"""Least-privilege rules for IAM documents, as data: what the tests (and reviewers) hold every policy to."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

READ_VERBS = ("Get", "Describe", "List", "Query", "Scan", "BatchGet", "Search", "Head")
# SageMaker writes these ARNs in lower case whatever the name's case: a grant spelled otherwise matches nothing.
_ENDPOINT_ARN = re.compile(r":(endpoint|endpoint-config|model|model-package)/")


def violations(document: dict[str, Any]) -> list[str]:
    """Every rule an IAM policy document breaks, one line each, naming the statement."""
    found: list[str] = []
    for index, statement in enumerate(_as_list(document.get("Statement"))):
        sid = statement.get("Sid") or f"statement {index}"
        found += [f"{sid}: {problem}" for problem in _statement_problems(statement)]
    return found


def is_write(action: str) -> bool:
    verb = action.split(":", 1)[-1]
    return not verb.startswith(READ_VERBS)


def _statement_problems(statement: dict[str, Any]) -> Iterator[str]:
    if statement.get("Effect") != "Allow":
        return
    if "NotAction" in statement or "NotResource" in statement:
        yield "NotAction/NotResource grant more than they name"
    actions = [str(action) for action in _as_list(statement.get("Action"))]
    resources = _as_list(statement.get("Resource"))
    for action in actions:
        if "*" in action:
            yield f"wildcard action {action}"
    writes = [action for action in actions if is_write(action)]
    if writes and any(_unscoped(resource) for resource in resources):
        yield f"write actions {writes} on an unscoped resource {resources}"
    if "iam:PassRole" in actions:
        yield from _pass_role_problems(statement, resources)
    for resource in resources:
        if isinstance(resource, str) and _ENDPOINT_ARN.search(resource) and resource != resource.lower():
            yield f"SageMaker ARN not lowercase (SageMaker writes them lowercased): {resource}"


def _pass_role_problems(statement: dict[str, Any], resources: list[Any]) -> Iterator[str]:
    if any(not isinstance(r, str) or "*" in r or ":role/" not in r for r in resources):
        yield f"iam:PassRole must name the SageMaker execution role exactly, not {resources}"
    condition = statement.get("Condition", {}).get("StringEquals", {})
    if condition.get("iam:PassedToService") != "sagemaker.amazonaws.com":
        yield "iam:PassRole without Condition StringEquals iam:PassedToService sagemaker.amazonaws.com"


def _unscoped(resource: Any) -> bool:
    """'*', or an ARN whose resource part is only a wildcard (arn:aws:sns:us-east-1:123456789012:*)."""
    if not isinstance(resource, str):
        return False  # an intrinsic (Ref, GetAtt, Sub) names one resource of the stack
    if resource == "*":
        return True
    parts = resource.split(":", 5)
    return len(parts) == 6 and parts[5].strip("/") in ("*", "")


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def template_policies(template: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    """Every identity or resource policy document in a CloudFormation template, with where it sits."""
    for logical_id, resource in template.get("Resources", {}).items():
        properties = resource.get("Properties", {})
        for policy in _as_list(properties.get("Policies")):
            if isinstance(policy, dict) and "PolicyDocument" in policy:
                yield f"{logical_id}/{policy.get('PolicyName')}", policy["PolicyDocument"]
        if "PolicyDocument" in properties:
            yield logical_id, properties["PolicyDocument"]
