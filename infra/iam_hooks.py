"""The grants the rollout hooks need, only on what the groups' policies name: `lambda:InvokeFunction` on
each hook function's ARN (as written: a qualified ARN is granted qualified), and reading each URL hook's
signing secret (a Secrets Manager name or ARN, or an SSM parameter), as the Slack secret is read."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from chalicelib.hooks.record import HOOK_NAMES

Statement = dict[str, Any]
SSM_PREFIX = "ssm:"


@dataclass(frozen=True)
class HookGrants:
    functions: frozenset[str] = frozenset()
    secrets: frozenset[str] = frozenset()  # Secrets Manager names or ARNs
    parameters: frozenset[str] = frozenset()  # SSM parameter names


def hook_grants(releases: Iterable[dict[str, Any]]) -> HookGrants:
    """What the hooks of these release sections name."""
    specs = [(release.get("hooks") or {}).get(hook) or {} for release in releases for hook in HOOK_NAMES]
    secrets = {spec["secret"] for spec in specs if spec.get("secret")}
    return HookGrants(
        functions=frozenset(spec["lambda_arn"] for spec in specs if spec.get("lambda_arn")),
        secrets=frozenset(secret for secret in secrets if not secret.startswith(SSM_PREFIX)),
        parameters=frozenset(secret[len(SSM_PREFIX) :] for secret in secrets if secret.startswith(SSM_PREFIX)),
    )


def hook_statements(arn: Callable[[str, str], str], grants: HookGrants) -> list[Statement]:
    found = []
    if grants.functions:
        found.append(_allow("InvokeRolloutHooks", ["lambda:InvokeFunction"], sorted(grants.functions)))
    if grants.secrets:
        # A name gets the six characters Secrets Manager appends to its ARN; an ARN is already whole.
        secrets = [
            name if name.startswith("arn:") else arn("secretsmanager", f"secret:{name}-??????")
            for name in grants.secrets
        ]
        found.append(_allow("HookSigningSecrets", ["secretsmanager:GetSecretValue"], sorted(secrets)))
    if grants.parameters:
        parameters = [arn("ssm", f"parameter/{name.lstrip('/')}") for name in grants.parameters]
        found.append(_allow("HookSigningParameters", ["ssm:GetParameter"], sorted(parameters)))
    return found


def _allow(sid: str, actions: list[str], resources: list[str]) -> Statement:
    return {"Sid": sid, "Effect": "Allow", "Action": actions, "Resource": resources}
