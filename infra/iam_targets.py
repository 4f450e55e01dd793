"""What the groups' policies name for the roles to reach: their endpoints, alarms, roles, async and batch
targets, other accounts and rollout hooks (read from policies/*.json)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from infra.iam_batch import batch_outputs
from infra.iam_hooks import HookGrants, hook_grants
from infra.names import PROJECT


def groups(policy_dir: Path = PROJECT / "policies") -> list[str]:
    return sorted(path.stem for path in policy_dir.glob("*.json") if path.name != "schema.json")


@dataclass(frozen=True)
class ReleaseTargets:
    """What the groups' release policies name: the endpoints, alarms and roles the app must reach."""

    endpoints: tuple[str, ...] = ()
    staging_endpoints: tuple[str, ...] = ()
    alarms: tuple[str, ...] = ()
    roles: tuple[str, ...] = ()
    deletes_artifacts: bool = False
    async_staging: tuple[str, ...] = ()  # staging endpoints of async targets: smoke-tested through S3
    async_inputs: tuple[str, ...] = ()  # "bucket/prefix": where their smoke tests put requests
    async_answers: tuple[str, ...] = ()  # "bucket/prefix": where their answers and failures are written
    deploy_roles: tuple[str, ...] = ()  # stages in other accounts: the roles the app assumes there, no others
    stage_accounts: tuple[str, ...] = ()  # those accounts: their events may be put on the app's bus
    batch_groups: tuple[str, ...] = ()  # groups with a batch target: smoke transform jobs, a production parameter
    batch_outputs: tuple[str, ...] = ()  # "bucket/prefix": where their smoke jobs write
    hooks: HookGrants = field(default_factory=HookGrants)  # the rollout hooks' functions and signing secrets

    def with_batch(self, outputs: dict[str, str]) -> ReleaseTargets:
        """`outputs`: each batch group's smoke output."""
        return replace(self, batch_groups=tuple(sorted(outputs)), batch_outputs=tuple(sorted(set(outputs.values()))))


def release_targets(policy_dir: Path = PROJECT / "policies") -> ReleaseTargets:
    endpoints: set[str] = set()
    staging: set[str] = set()
    alarms: set[str] = set()
    roles: set[str] = set()
    deploy_roles: set[str] = set()
    accounts: set[str] = set()
    deletes = False
    asynchronous: dict[str, set[str]] = {"staging": set(), "inputs": set(), "answers": set()}
    batch: dict[str, str] = {}  # group -> its smoke output
    sections: list[dict[str, Any]] = []
    for group in groups(policy_dir):
        document = json.loads((policy_dir / f"{group}.json").read_text())
        release = document.get("release") or {}
        for stage in ("staging", "production"):
            if name := (release.get(stage) or {}).get("endpoint_name"):
                endpoints.add(name)
                if stage == "staging":
                    staging.add(name)
            if role := (release.get(stage) or {}).get("role_arn"):
                deploy_roles.add(role)
                accounts.add((release.get(stage) or {}).get("account") or role.split(":")[4])
            elif own := (release.get(stage) or {}).get("execution_role_arn"):
                roles.add(own)  # a stage in the app's own account: the app passes it (elsewhere, the deploy role)
        alarms.update(release.get("alarms", []))
        if role := release.get("execution_role_arn"):
            roles.add(role)
        deletes = deletes or bool((document.get("retention") or {}).get("delete_artifacts"))
        _async_targets(release, asynchronous)
        if output := batch_outputs(release):
            batch[group] = output
        sections.append(release)
    return ReleaseTargets(
        endpoints=tuple(sorted(endpoints)),
        staging_endpoints=tuple(sorted(staging)),
        alarms=tuple(sorted(alarms)),
        roles=tuple(sorted(roles)),
        deletes_artifacts=deletes,
        deploy_roles=tuple(sorted(deploy_roles)),
        stage_accounts=tuple(sorted(accounts)),
        async_staging=tuple(sorted(asynchronous["staging"])),
        async_inputs=tuple(sorted(asynchronous["inputs"])),
        async_answers=tuple(sorted(asynchronous["answers"])),
        hooks=hook_grants(sections),
    ).with_batch(batch)


def _async_targets(release: dict[str, Any], found: dict[str, set[str]]) -> None:
    paths = release.get("async_inference") or {}
    if release.get("target") != "async" or not paths or "role_arn" in release["staging"]:
        return  # staging elsewhere: its deploy role smoke-tests it (infra/target-account.json's AsyncSmoke...)
    found["staging"].add(release["staging"]["endpoint_name"])
    found["inputs"].add(_s3_prefix(paths["smoke_input_path"]))
    found["answers"].update(_s3_prefix(paths[key]) for key in ("output_path", "failure_path"))


def _s3_prefix(uri: str) -> str:
    return uri.removeprefix("s3://").rstrip("/")
