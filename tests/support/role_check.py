"""A function's role against the calls its handler made: which calls it refuses, which grants no call used.

Evaluated as IAM does for identity policies with Allow statements only: an action matches with `*`/`?`
case-insensitively, a resource with `*`/`?` case-sensitively (SageMaker ARNs arrive lowercased), after
its policy variables (`${aws:PrincipalAccount}`) take the request's context values, and a statement's
StringEquals/StringLike conditions must hold for the request's context keys.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from fnmatch import fnmatchcase
from typing import Any

from tests.support.iam_requests import IamRequest

_POLICY_VARIABLE = re.compile(r"\$\{([^}]+)\}")


def allowing(document: dict[str, Any], request: IamRequest) -> list[int]:
    """The indexes of the statements that allow the request (none: the role refuses it)."""
    return [index for index, statement in enumerate(_statements(document)) if _allows(statement, request)]


def refused(document: dict[str, Any], requests: Iterable[IamRequest]) -> list[IamRequest]:
    return [request for request in requests if not allowing(document, request)]


def used_grants(document: dict[str, Any], requests: Iterable[IamRequest]) -> set[tuple[str, str]]:
    """(Sid, granted action) of every grant some request was allowed by."""
    statements = _statements(document)
    return {
        (statements[index].get("Sid", str(index)), action)
        for request in requests
        for index in allowing(document, request)
        for action in _listed(statements[index].get("Action"))
        if fnmatchcase(request.action.lower(), action.lower())
    }


def unused_grants(
    document: dict[str, Any], used: set[tuple[str, str]], exempt: Iterable[str] = ()
) -> list[tuple[str, str]]:
    """(Sid, action) of every granted action not in `used`; `exempt` Sids are used by Lambda itself."""
    exempted = set(exempt)
    return [
        (sid, action)
        for index, statement in enumerate(_statements(document))
        if (sid := statement.get("Sid", str(index))) not in exempted
        for action in _listed(statement.get("Action"))
        if (sid, action) not in used
    ]


def _allows(statement: dict[str, Any], request: IamRequest) -> bool:
    return (
        statement.get("Effect") == "Allow"
        and any(fnmatchcase(request.action.lower(), pattern.lower()) for pattern in _listed(statement.get("Action")))
        and any(
            _resource_matches(_with_variables(pattern, request.context), request.resource)
            for pattern in _listed(statement.get("Resource"))
        )
        and _conditions_hold(statement.get("Condition") or {}, request.context)
    )


def _with_variables(pattern: str, context: dict[str, str]) -> str | None:
    """The pattern with IAM's policy variables replaced; None when the request has no value for one (IAM
    then matches nothing: the statement does not apply)."""
    if any(name not in context for name in _POLICY_VARIABLE.findall(pattern)):
        return None
    return _POLICY_VARIABLE.sub(lambda found: context[found.group(1)], pattern)


def _resource_matches(pattern: str | None, resource: str) -> bool:
    if pattern is None:
        return False
    if resource == "*":
        return pattern == "*"  # an action IAM cannot scope is allowed only by a statement on "*"
    return fnmatchcase(resource, pattern.replace("[", "[[]"))


def _conditions_hold(conditions: dict[str, Any], context: dict[str, str]) -> bool:
    for operator, tests in conditions.items():
        for key, expected in tests.items():
            value = context.get(key)
            if value is None:
                return False
            if operator == "StringEquals" and value not in _listed(expected):
                return False
            if operator == "StringLike" and not any(fnmatchcase(value, p) for p in _listed(expected)):
                return False
            if operator not in ("StringEquals", "StringLike"):
                return False  # a condition this check cannot evaluate is not assumed to hold
    return True


def _statements(document: dict[str, Any]) -> list[dict[str, Any]]:
    statements = document.get("Statement", [])
    return [statements] if isinstance(statements, dict) else list(statements)


def _listed(value: Any) -> list[str]:
    if value is None:
        return []
    return [value] if isinstance(value, str) else [str(item) for item in value]
