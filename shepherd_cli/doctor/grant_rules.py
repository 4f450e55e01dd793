"""Does a resource policy (a bucket policy, a KMS key policy, a model package group's policy) let a role of
another account do an action on a resource? Read from the document alone, for the forms these policies take:
Allow and Deny (an applying Deny wins); Principal "*", an account (its id or root ARN), a role ARN (or its
sessions); NotPrincipal; Action/NotAction and Resource/NotResource with wildcards; conditions on who calls
(`aws:PrincipalAccount`, `aws:PrincipalArn`). Not evaluated: other condition keys (`aws:PrincipalOrgID`,
`aws:SourceVpce`, `kms:ViaService`...), said instead of guessed; the caller's own IAM policies, permission
boundaries and SCPs, S3 ACLs and Object Ownership, which the document does not hold."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fnmatch import fnmatchcase
from typing import Any

# The condition operators evaluated: (the key must match to apply, case ignored, wildcards allowed).
_OPERATORS = {
    "StringEquals": (True, False, False),
    "StringEqualsIgnoreCase": (True, True, False),
    "StringLike": (True, False, True),
    "ArnEquals": (True, False, True),  # ARN operators take wildcards in each field
    "ArnLike": (True, False, True),
    "StringNotEquals": (False, False, False),
    "StringNotEqualsIgnoreCase": (False, True, False),
    "StringNotLike": (False, False, True),
    "ArnNotEquals": (False, False, True),
    "ArnNotLike": (False, False, True),
}


@dataclass(frozen=True)
class Caller:
    account: str
    role_arn: str  # arn:aws:iam::<account>:role/<name>

    def keys(self) -> dict[str, str]:
        """The condition keys about the caller that a document alone can be checked against."""
        return {"aws:principalaccount": self.account, "aws:principalarn": self.role_arn}


@dataclass(frozen=True)
class Access:
    allowed: bool
    reason: str  # which statement allowed or denied it, or that none allowed it
    unevaluated: tuple[str, ...] = ()  # condition keys the answer rests on that are not evaluated here


def access(document: Mapping[str, Any] | str | None, caller: Caller, action: str, resource: str) -> Access:
    policy = json.loads(document) if isinstance(document, str) else (document or {})
    statements = policy.get("Statement", [])
    statements = [statements] if isinstance(statements, Mapping) else statements
    notes: list[str] = []  # Denys that may apply, on conditions not evaluated
    certain: str | None = None
    conditional: tuple[str, list[str]] | None = None
    for index, statement in enumerate(statements):
        applies, unknown = _applies(statement, caller, action, resource)
        name = f"statement {statement.get('Sid') or index + 1!r}"
        if applies is False:
            continue
        if statement.get("Effect") == "Deny":
            if applies:
                return Access(False, f"denied by {name}")
            notes += [f"{key} (a Deny, {name})" for key in unknown]
        elif applies and certain is None:
            certain = name
        elif not applies and conditional is None:
            conditional = (name, unknown)
    if certain is not None:
        return Access(True, f"allowed by {certain}", tuple(notes))
    if conditional is not None:
        name, unknown = conditional
        return Access(True, f"allowed by {name} if its conditions hold", (*unknown, *notes))
    return Access(False, "no statement allows it", tuple(notes))


def _applies(statement: Mapping[str, Any], caller: Caller, action: str, resource: str) -> tuple[bool | None, list[str]]:
    """True, False, or None (it rests on condition keys not evaluated: returned too)."""
    if not (
        _principal(statement, caller)
        and _listed(statement, "Action", action, ignore_case=True)
        and _listed(statement, "Resource", resource, ignore_case=False)
    ):
        return False, []
    return _conditions(statement.get("Condition") or {}, caller)


def _principal(statement: Mapping[str, Any], caller: Caller) -> bool:
    if "NotPrincipal" in statement:  # everyone but those named (a role is exempt only when named itself)
        return not any(_names(entry, caller, account_counts=False) for entry in _aws(statement["NotPrincipal"]))
    return any(_names(entry, caller, account_counts=True) for entry in _aws(statement.get("Principal")))


def _aws(principal: Any) -> list[str]:
    if principal == "*":
        return ["*"]
    if not isinstance(principal, Mapping):
        return []
    entries = principal.get("AWS", [])  # Service, Federated and CanonicalUser principals are not roles
    return [entries] if isinstance(entries, str) else list(entries)


def _names(entry: str, caller: Caller, account_counts: bool) -> bool:
    if entry == "*":
        return True
    if account_counts and entry in (caller.account, f"arn:aws:iam::{caller.account}:root"):
        return True  # the account, so any of its principals its own IAM lets through
    role_name = caller.role_arn.rsplit("/", 1)[-1]
    session_prefix = f"arn:aws:sts::{caller.account}:assumed-role/{role_name}/"
    return entry == caller.role_arn or (not account_counts and entry.startswith(session_prefix))


def _listed(statement: Mapping[str, Any], key: str, value: str, ignore_case: bool) -> bool:
    if f"Not{key}" in statement:
        return not _matches_any(statement[f"Not{key}"], value, ignore_case)
    if key not in statement:
        return key == "Resource"  # key and group policies may leave the resource implied
    return _matches_any(statement[key], value, ignore_case)


def _matches_any(patterns: str | Sequence[str], value: str, ignore_case: bool, wildcards: bool = True) -> bool:
    listed = [patterns] if isinstance(patterns, str) else list(patterns)
    if ignore_case:
        value, listed = value.lower(), [pattern.lower() for pattern in listed]
    if wildcards:
        return any(fnmatchcase(value, pattern) for pattern in listed)
    return value in listed


def _conditions(block: Mapping[str, Any], caller: Caller) -> tuple[bool | None, list[str]]:
    known = caller.keys()
    unknown: list[str] = []
    for operator, tests in block.items():
        base = operator.split(":")[-1].removesuffix("IfExists")  # ForAnyValue:/ForAllValues: on one value
        for key, expected in tests.items():
            if key.lower() not in known or base not in _OPERATORS:
                unknown.append(f"{operator} {key}")
                continue
            positive, ignore_case, wildcards = _OPERATORS[base]
            if _matches_any(expected, known[key.lower()], ignore_case, wildcards) != positive:
                return False, []
    return (None if unknown else True), unknown
