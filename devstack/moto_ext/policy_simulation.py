"""IAM SimulatePrincipalPolicy for moto 5.2.5, for roles: what `shepherd doctor` asks of the local stack.

A deliberately small evaluator of the role's inline and attached policies, not IAM's whole logic:
- Allow and Deny statements with Action and Resource; `*` and `?` wildcards (fnmatch-style,
  case-insensitive for actions, case-sensitive for resources); an explicit Deny wins.
- NotAction / NotResource are not evaluated: such a statement never matches.
- A statement with a Condition matches only when every condition is StringEquals and the request's
  ContextEntries carry, for each key, a value the condition lists; any other operator never matches.
- Permission boundaries, SCPs, session and resource policies are ignored.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from fnmatch import fnmatchcase
from typing import Any
from urllib.parse import unquote

from moto.core.responses import ActionResult
from moto.iam.models import IAMBackend
from moto.iam.responses import IamResponse

from devstack.moto_ext.patching import Add, Patch

ALLOWED, EXPLICIT_DENY, IMPLICIT_DENY = "allowed", "explicitDeny", "implicitDeny"


def patches() -> list[Patch]:
    return [Add(IamResponse, "simulate_principal_policy", _respond_simulate, gap="no SimulatePrincipalPolicy")]


@dataclass(frozen=True)
class Statement:
    effect: str
    actions: tuple[str, ...]
    resources: tuple[str, ...]
    conditions: Mapping[str, Any]

    def matches(self, action: str, resource: str, context: Mapping[str, tuple[str, ...]]) -> bool:
        return (
            any(fnmatchcase(action.lower(), pattern.lower()) for pattern in self.actions)
            and any(fnmatchcase(resource, pattern) for pattern in self.resources)
            and _conditions_hold(self.conditions, context)
        )


def statements(documents: Iterable[Any]) -> list[Statement]:
    found = []
    for document in documents:
        raw = document.get("Statement", []) if isinstance(document, Mapping) else []
        for statement in [raw] if isinstance(raw, Mapping) else raw:
            found.append(
                Statement(
                    effect=str(statement.get("Effect", "")),
                    actions=_listed(statement.get("Action")),  # NotAction: no actions, so never matching
                    resources=_listed(statement.get("Resource")),
                    conditions=statement.get("Condition") or {},
                )
            )
    return found


def decide(policy: Sequence[Statement], action: str, resource: str, context: Mapping[str, tuple[str, ...]]) -> str:
    matching = [statement.effect for statement in policy if statement.matches(action, resource, context)]
    if "Deny" in matching:
        return EXPLICIT_DENY
    return ALLOWED if "Allow" in matching else IMPLICIT_DENY


def role_documents(backend: IAMBackend, role_arn: str) -> list[Any]:
    role = backend.get_role_by_arn(role_arn)  # NoSuchEntity for an unknown role, as IAM answers
    inline = [_parsed(document) for document in role.policies.values()]
    attached = [
        _parsed(version.document)
        for policy in role.managed_policies.values()
        for version in policy.versions
        if version.is_default_version
    ]
    return inline + attached


def _conditions_hold(conditions: Mapping[str, Any], context: Mapping[str, tuple[str, ...]]) -> bool:
    for operator, tests in conditions.items():
        if operator != "StringEquals":
            return False
        for key, wanted in tests.items():
            if not set(_listed(wanted)) & set(context.get(key.lower(), ())):
                return False
    return True


def _listed(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    return (value,) if isinstance(value, str) else tuple(str(item) for item in value)


def _parsed(document: Any) -> Any:
    if isinstance(document, str):
        text = document if document.lstrip().startswith("{") else unquote(document)
        return json.loads(text)
    return document


def _respond_simulate(self: IamResponse) -> ActionResult:
    policy = statements(role_documents(self.backend, self._get_param("PolicySourceArn")))
    resources = self._get_param("ResourceArns", []) or ["*"]
    context = {
        str(entry["ContextKeyName"]).lower(): tuple(entry.get("ContextKeyValues", []))
        for entry in self._get_param("ContextEntries", [])
    }
    results = [_evaluated(policy, action, resources, context) for action in self._get_param("ActionNames", [])]
    return ActionResult({"EvaluationResults": results, "IsTruncated": False})


def _evaluated(
    policy: Sequence[Statement], action: str, resources: Sequence[str], context: Mapping[str, tuple[str, ...]]
) -> dict[str, Any]:
    per_resource = [
        {"EvalResourceName": resource, "EvalResourceDecision": decide(policy, action, resource, context)}
        for resource in resources
    ]
    decisions = {result["EvalResourceDecision"] for result in per_resource}
    overall = EXPLICIT_DENY if EXPLICIT_DENY in decisions else IMPLICIT_DENY if IMPLICIT_DENY in decisions else ALLOWED
    return {
        "EvalActionName": action,
        "EvalResourceName": resources[0] if len(resources) == 1 else "*",
        "EvalDecision": overall,
        "ResourceSpecificResults": per_resource,
    }
