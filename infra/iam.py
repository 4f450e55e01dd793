"""The Lambda functions' roles, least privilege, rendered per stage and function: `python -m infra.iam` (`make iam`).

Inputs: infra/targets.json (account, region, artifact prefixes, SageMaker execution role), the stage's
names in .chalice/config.json, the groups in policies/*.json and each function's grants
(infra/iam_grants.py). The output is one static .chalice/policy-<stage>-<function>.json per function,
which Chalice puts on that function's own role (config: lambda_functions.<function>.iam_policy_file);
a test fails if one drifts.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from chalicelib.release.lifecycle import STAGES as LIFECYCLE_STAGES
from chalicelib.release.names import name_prefix
from infra.iam_batch import batch_statements
from infra.iam_grants import ASYNC_FUNCTIONS, GRANTS, LAMBDA_RUNTIME, state_actions
from infra.iam_hooks import hook_statements

# Re-exported: the tests and the packaging call `iam.groups(...)` and `iam.release_targets(...)` with `render`.
from infra.iam_targets import ReleaseTargets as ReleaseTargets
from infra.iam_targets import groups as groups
from infra.iam_targets import release_targets as release_targets
from infra.names import PROJECT, StageNames, load_config, stage_names

TARGETS = PROJECT / "infra" / "targets.json"
# The condition key AWS documents for UpdateModelPackage (model-registry-staging-construct-set-up).
LIFECYCLE_STAGE_KEY = "sagemaker:ModelLifeCycle:stage"


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


def render(
    names: StageNames, target: Target, group_names: list[str], release: ReleaseTargets | None = None
) -> dict[str, dict[str, Any]]:
    """One policy document per Lambda function: the statements of its grants (infra/iam_grants.py)."""
    statements = _statements(names, target, group_names, release or ReleaseTargets())
    documents = {}
    for function, grants in GRANTS.items():
        wanted = ["Logs", *(["KeepFailedEvents"] if function in ASYNC_FUNCTIONS else []), *grants]
        chosen = [statements[grant] for grant in wanted if grant in statements]
        chosen.append(_allow("State", state_actions(function), [target.arn("dynamodb", f"table/{names.state_table}")]))
        documents[function] = {"Version": "2012-10-17", "Statement": chosen}
    return documents


def _statements(
    names: StageNames, target: Target, group_names: list[str], release: ReleaseTargets
) -> dict[str, dict[str, Any]]:
    """Every grant's statement for the stage, by Sid; a grant with nothing to name (no Slack, no
    artifact deletion, no staging endpoint) has none."""
    sm = target.arn
    # SageMaker writes a version's ARN in lower case, whatever the group's name: IAM compares it as written.
    packages = [sm("sagemaker", f"model-package/{group.lower()}/*") for group in group_names]
    # Models and configs carry the group's name prefix (already lowercase, as IAM compares SageMaker ARNs);
    # endpoints are the names the release policies give, lowercased for the same reason.
    named = [sm("sagemaker", f"{kind}/{name_prefix(group)}-v*") for group in group_names for kind in _NAMED_KINDS]
    endpoints = [sm("sagemaker", f"endpoint/{name.lower()}") for name in release.endpoints]
    configs = [resource for resource in named if ":endpoint-config/" in resource]
    staging = [sm("sagemaker", f"endpoint/{name.lower()}") for name in release.staging_endpoints]
    alarms = [sm("cloudwatch", f"alarm:{group.lower()}-*") for group in group_names]
    alarms += [sm("cloudwatch", f"alarm:{name}") for name in release.alarms]
    roles = sorted({f"arn:aws:iam::{target.account}:role/{target.sagemaker_execution_role}", *release.roles})
    artifacts = [f"arn:aws:s3:::{prefix}*" for prefix in target.artifact_prefixes]
    found = [
        _allow(
            "Logs",
            ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"],
            [
                sm("logs", f"log-group:/aws/lambda/{names.prefix}:*"),
                sm("logs", f"log-group:/aws/lambda/{names.prefix}-*"),
            ],
        ),
        _allow("KeepFailedEvents", ["sqs:SendMessage"], [sm("sqs", names.dlq_name)]),
        _allow("ReadModelPackages", ["sagemaker:DescribeModelPackage"], packages),
        _allow("ListGroupVersionsHasNoResourceLevelPermissions", ["sagemaker:ListModelPackages"], ["*"]),
        _allow("SearchRegistryHasNoResourceLevelPermissions", ["sagemaker:Search"], ["*"]),
        _allow("DecideModelPackages", ["sagemaker:UpdateModelPackage"], packages),
        _allow("DeleteModelPackages", ["sagemaker:DeleteModelPackage"], packages),
        {  # the release engine labels versions (ModelLifeCycle) with these stages only; it decides none
            **_allow("RecordModelLifeCycle", ["sagemaker:UpdateModelPackage"], packages),
            "Condition": {"StringEquals": {LIFECYCLE_STAGE_KEY: list(LIFECYCLE_STAGES)}},
        },
        _allow("ReadMetricsDocuments", ["s3:GetObject"], artifacts),
        _allow("CreateReleaseResources", ["sagemaker:CreateModel", "sagemaker:CreateEndpointConfig"], named),
        # CreateEndpoint and UpdateEndpoint are authorised on the endpoint config they name too.
        _allow("DeployEndpoints", ["sagemaker:DescribeEndpoint", "sagemaker:CreateEndpoint"], endpoints + configs),
        _allow("UpdateEndpoints", ["sagemaker:UpdateEndpoint"], endpoints + configs),
        # Progressive and shadow releases: the champion's config read for its model, a config of both made.
        _allow("MakeVariantConfigs", ["sagemaker:DescribeEndpointConfig", "sagemaker:CreateEndpointConfig"], configs),
        _allow("WatchReleaseAlarms", ["cloudwatch:DescribeAlarms"], alarms),
        _allow("CanaryMetricsHaveNoResourceLevelPermissions", ["cloudwatch:GetMetricStatistics"], ["*"]),
        _allow("AnalysisMetricsHaveNoResourceLevelPermissions", ["cloudwatch:GetMetricData"], ["*"]),
        {
            **_allow("PassExecutionRoleToSageMakerOnly", ["iam:PassRole"], roles),
            "Condition": {"StringEquals": {"iam:PassedToService": "sagemaker.amazonaws.com"}},
        },
        _allow("IdempotencyRecords", _ITEM_ACTIONS, [sm("dynamodb", f"table/{names.idempotency_table}")]),
        _allow("Notify", ["sns:Publish"], [sm("sns", names.topic_name)]),
    ]
    if endpoints:  # traffic shifted between two variants: no more than UpdateEndpoint on them allows
        found.append(_allow("ShiftVariantWeights", ["sagemaker:UpdateEndpointWeightsAndCapacities"], endpoints))
        # An alarm's event re-reads production before it decides (a canary's, a step's, a shadow test's state).
        found.append(_allow("ReadEndpoints", ["sagemaker:DescribeEndpoint"], endpoints))
    if staging:
        found.append(_allow("SmokeTestStaging", ["sagemaker:InvokeEndpoint"], staging))
        # A Failed staging endpoint is deleted before the release creates it afresh.
        found.append(_allow("ReplaceFailedStaging", ["sagemaker:DeleteEndpoint"], staging))
    if release.async_staging:
        asynchronous = [sm("sagemaker", f"endpoint/{name.lower()}") for name in release.async_staging]
        found.append(_allow("SmokeTestAsyncStaging", ["sagemaker:InvokeEndpointAsync"], asynchronous))
        inputs = [f"arn:aws:s3:::{prefix}/*" for prefix in release.async_inputs]
        found.append(_allow("PutAsyncSmokeRequests", ["s3:PutObject"], inputs))
        answers = [f"arn:aws:s3:::{prefix}/*" for prefix in release.async_answers]
        found.append(_allow("ReadAsyncSmokeAnswers", ["s3:GetObject"], answers))
    if release.deploy_roles:  # the stages' own calls are the deploy roles' to authorise, in their accounts
        found.append(_allow("AssumeDeployRoles", ["sts:AssumeRole"], list(release.deploy_roles)))
    found += batch_statements(sm, release.batch_groups, release.batch_outputs)
    found += hook_statements(sm, release.hooks)
    if release.deletes_artifacts:
        found.append(_allow("DeleteArtifactsWhenAPolicySays", ["s3:DeleteObject"], artifacts))
    if names.slack_secret:
        secret = sm("secretsmanager", f"secret:{names.slack_secret}-??????")
        found.append(_allow("SlackSecret", ["secretsmanager:GetSecretValue"], [secret]))
    if names.slack_parameter:
        parameter = sm("ssm", f"parameter/{names.slack_parameter.lstrip('/')}")
        found.append(_allow("SlackParameter", ["ssm:GetParameter"], [parameter]))
    return {_GRANT_OF_SID.get(statement["Sid"], statement["Sid"]): statement for statement in found}


# A statement's Sid says why it is as it is; the grant's name says what a function needs.
_GRANT_OF_SID = {
    "ListGroupVersionsHasNoResourceLevelPermissions": "ListGroupVersions",
    "SearchRegistryHasNoResourceLevelPermissions": "SearchRegistry",
    "CanaryMetricsHaveNoResourceLevelPermissions": "CanaryMetrics",
    "AnalysisMetricsHaveNoResourceLevelPermissions": "AnalysisMetrics",
    "PassExecutionRoleToSageMakerOnly": "PassExecutionRole",
    "DeleteArtifactsWhenAPolicySays": "DeleteArtifacts",
    "SlackSecret": "SlackCredentials",
    "SlackParameter": "SlackCredentials",
}
_NAMED_KINDS = ("endpoint-config", "model")  # what chalicelib.release.names names
_ITEM_ACTIONS = ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem"]


def _allow(sid: str, actions: list[str], resources: list[str]) -> dict[str, Any]:
    return {"Sid": sid, "Effect": "Allow", "Action": actions, "Resource": resources}


def default_role(documents: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """The role of a function without grants of its own (one added to app.py): its logs and failed events only."""
    statements = documents["release_alarm"]["Statement"]  # an asynchronous function: it has both
    return {"Version": "2012-10-17", "Statement": [s for s in statements if s["Sid"] in LAMBDA_RUNTIME]}


def rendered(stage: str, project: Path = PROJECT) -> dict[str, str]:
    """File name in .chalice/ -> its text: policy-<stage>-<function>.json each, and the default policy-<stage>.json."""
    names = stage_names(load_config(project / ".chalice" / "config.json"), stage)
    target = load_target(stage, project / "infra" / "targets.json")
    documents = render(names, target, groups(project / "policies"), release_targets(project / "policies"))
    files = {policy_file(stage, function): document for function, document in documents.items()}
    files[policy_file(stage)] = default_role(documents)
    return {name: json.dumps(document, indent=2) + "\n" for name, document in files.items()}


def policy_file(stage: str, function: str | None = None) -> str:
    return f"policy-{stage}-{function}.json" if function else f"policy-{stage}.json"


def main() -> int:
    config = load_config()
    for stage in config["stages"]:
        for stale in (PROJECT / ".chalice").glob(f"policy-{stage}-*.json"):
            stale.unlink()  # a function removed from the app loses its file
        for name, text in rendered(stage).items():
            path = PROJECT / ".chalice" / name
            path.write_text(text)
            print(f"wrote {path.relative_to(PROJECT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
