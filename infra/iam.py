"""The Lambda role's policy, least privilege, rendered per stage: `python -m infra.iam` (or `make iam`).

Inputs: infra/targets.json (account, region, artifact prefixes, SageMaker execution role), the stage's
names in .chalice/config.json and the groups in policies/*.json. The output is the static
.chalice/policy-<stage>.json Chalice puts on every function's role; a test fails if it drifts.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from chalicelib.release.names import name_prefix
from infra.names import PROJECT, StageNames, load_config, stage_names

TARGETS = PROJECT / "infra" / "targets.json"


@dataclass(frozen=True)
class Target:
    account: str
    region: str
    artifact_prefixes: tuple[str, ...]  # "bucket/prefix/": metrics documents the gate reads
    sagemaker_execution_role: str  # the only role the app may pass, and only to SageMaker

    def arn(self, service: str, resource: str) -> str:
        return f"arn:aws:{service}:{self.region}:{self.account}:{resource}"


def load_target(stage: str, path: Path = TARGETS) -> Target:
    raw = json.loads(path.read_text())[stage]
    return Target(raw["account"], raw["region"], tuple(raw["artifact_prefixes"]), raw["sagemaker_execution_role"])


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


def release_targets(policy_dir: Path = PROJECT / "policies") -> ReleaseTargets:
    endpoints: set[str] = set()
    staging: set[str] = set()
    alarms: set[str] = set()
    roles: set[str] = set()
    deletes = False
    for group in groups(policy_dir):
        document = json.loads((policy_dir / f"{group}.json").read_text())
        release = document.get("release") or {}
        for stage in ("staging", "production"):
            if name := (release.get(stage) or {}).get("endpoint_name"):
                endpoints.add(name)
                if stage == "staging":
                    staging.add(name)
        alarms.update(release.get("alarms", []))
        if role := release.get("execution_role_arn"):
            roles.add(role)
        deletes = deletes or bool((document.get("retention") or {}).get("delete_artifacts"))
    return ReleaseTargets(
        tuple(sorted(endpoints)), tuple(sorted(staging)), tuple(sorted(alarms)), tuple(sorted(roles)), deletes
    )


def render(
    names: StageNames, target: Target, group_names: list[str], release: ReleaseTargets | None = None
) -> dict[str, Any]:
    release = release or ReleaseTargets()
    statements = _registry_and_release(names, target, group_names, release) + _app_resources(names, target)
    if release.deletes_artifacts:
        prefixes = [f"arn:aws:s3:::{prefix}*" for prefix in target.artifact_prefixes]
        statements.append(_allow("CleanupDeletesArtifactsWhenAPolicySays", ["s3:DeleteObject"], prefixes))
    return {"Version": "2012-10-17", "Statement": statements}


def _registry_and_release(
    names: StageNames, target: Target, group_names: list[str], release: ReleaseTargets
) -> list[dict[str, Any]]:
    sm = target.arn
    packages = [sm("sagemaker", f"model-package/{group}/*") for group in group_names]
    # Models and configs carry the group's name prefix (already lowercase, as IAM compares SageMaker ARNs);
    # endpoints are the names the release policies give, lowercased for the same reason.
    endpoints = [sm("sagemaker", f"{kind}/{name_prefix(group)}-v*") for group in group_names for kind in _NAMED_KINDS]
    endpoints += [sm("sagemaker", f"endpoint/{name.lower()}") for name in release.endpoints]
    alarms = [sm("cloudwatch", f"alarm:{group.lower()}-*") for group in group_names]
    alarms += [sm("cloudwatch", f"alarm:{name}") for name in release.alarms]
    roles = sorted({f"arn:aws:iam::{target.account}:role/{target.sagemaker_execution_role}", *release.roles})
    staging = [sm("sagemaker", f"endpoint/{name.lower()}") for name in release.staging_endpoints]
    return [
        _allow(
            "Logs",
            ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"],
            [
                sm("logs", f"log-group:/aws/lambda/{names.prefix}:*"),
                sm("logs", f"log-group:/aws/lambda/{names.prefix}-*"),
            ],
        ),
        _allow(
            "ReadModelPackages",
            ["sagemaker:DescribeModelPackage", "sagemaker:DescribeModelPackageGroup"],
            packages + [sm("sagemaker", f"model-package-group/{group}") for group in group_names],
        ),
        _allow(
            "ListModelPackagesHasNoResourceLevelPermissions",
            ["sagemaker:ListModelPackages", "sagemaker:ListModelPackageGroups"],
            ["*"],
        ),
        _allow(
            "DecideAndCleanUpModelPackages", ["sagemaker:UpdateModelPackage", "sagemaker:DeleteModelPackage"], packages
        ),
        _allow(
            "ReadMetricsDocuments", ["s3:GetObject"], [f"arn:aws:s3:::{prefix}*" for prefix in target.artifact_prefixes]
        ),
        _allow("ReleaseToEndpoints", _RELEASE_ACTIONS, endpoints),
        *([_allow("SmokeTestStagingEndpoints", ["sagemaker:InvokeEndpoint"], staging)] if staging else []),
        _allow("WatchReleaseAlarms", ["cloudwatch:DescribeAlarms"], alarms),
        _allow("CanaryInvocationsMetricsHaveNoResourceLevelPermissions", ["cloudwatch:GetMetricStatistics"], ["*"]),
        {
            **_allow("PassExecutionRoleToSageMakerOnly", ["iam:PassRole"], roles),
            "Condition": {"StringEquals": {"iam:PassedToService": "sagemaker.amazonaws.com"}},
        },
    ]


def _app_resources(names: StageNames, target: Target) -> list[dict[str, Any]]:
    sm = target.arn
    statements = [
        _allow("IdempotencyRecords", _ITEM_ACTIONS, [sm("dynamodb", f"table/{names.idempotency_table}")]),
        _allow(
            "State",
            [*_ITEM_ACTIONS, "dynamodb:Query", "dynamodb:ConditionCheckItem"],
            [sm("dynamodb", f"table/{names.state_table}")],
        ),
        _allow("Notify", ["sns:Publish"], [sm("sns", names.topic_name)]),
        _allow("KeepFailedEvents", ["sqs:SendMessage"], [sm("sqs", names.dlq_name)]),
    ]
    if names.slack_secret:
        statements.append(
            _allow(
                "SlackSecret",
                ["secretsmanager:GetSecretValue"],
                [sm("secretsmanager", f"secret:{names.slack_secret}-??????")],
            )
        )
    if names.slack_parameter:
        parameter = sm("ssm", f"parameter/{names.slack_parameter.lstrip('/')}")
        statements.append(_allow("SlackParameter", ["ssm:GetParameter"], [parameter]))
    return statements


_NAMED_KINDS = ("endpoint-config", "model")  # what chalicelib.release.names names
_RELEASE_ACTIONS = [
    "sagemaker:CreateModel",
    "sagemaker:DescribeModel",
    "sagemaker:DeleteModel",
    "sagemaker:CreateEndpointConfig",
    "sagemaker:DescribeEndpointConfig",
    "sagemaker:DeleteEndpointConfig",
    "sagemaker:CreateEndpoint",
    "sagemaker:UpdateEndpoint",
    "sagemaker:DescribeEndpoint",
    "sagemaker:AddTags",
]
_ITEM_ACTIONS = ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem"]


def _allow(sid: str, actions: list[str], resources: list[str]) -> dict[str, Any]:
    return {"Sid": sid, "Effect": "Allow", "Action": actions, "Resource": resources}


def rendered(stage: str, project: Path = PROJECT) -> str:
    names = stage_names(load_config(project / ".chalice" / "config.json"), stage)
    target = load_target(stage, project / "infra" / "targets.json")
    document = render(names, target, groups(project / "policies"), release_targets(project / "policies"))
    return json.dumps(document, indent=2) + "\n"


def main() -> int:
    config = load_config()
    for stage, settings in config["stages"].items():
        path = PROJECT / ".chalice" / settings["iam_policy_file"]
        path.write_text(rendered(stage))
        print(f"wrote {path.relative_to(PROJECT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
