"""Rollout hooks: the functions that ask them may invoke exactly the hook functions the policies name and
read exactly the signing secrets they name; with no hooks in any policy, nothing of the kind is granted."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

from infra import iam
from infra.iam_rules import violations
from infra.names import PROJECT, load_config, stage_names
from tests.support.policies import example_document

PRE = "arn:aws:lambda:us-east-1:123456789012:function:fraud-pre-rollout"
CONFIRM = "arn:aws:lambda:us-east-1:123456789012:function:fraud-confirm:live"
HOOK_CALLERS = {"api_handler", "release_endpoint", "release_alarm", "release_reconcile"}
HOOKS = {
    "pre_rollout": {"lambda_arn": PRE},
    "confirm_promotion": {"lambda_arn": CONFIRM},
    "post_rollout": {"url": "https://checks.example.com/done", "secret": "model-shepherd/prod/hooks"},
}


def rendered(directory: Path, hooks: dict[str, Any]) -> dict[str, dict[str, Any]]:
    shutil.copytree(PROJECT / "policies", directory)
    document = example_document()
    document["release"]["hooks"] = hooks
    (directory / "fraud-detection-models.json").write_text(json.dumps(document))
    names = stage_names(load_config(), "prod")
    return iam.render(names, iam.load_target("prod"), iam.groups(directory), iam.release_targets(directory))


def granted(document: dict[str, Any], action: str) -> list[str]:
    return [resource for s in document["Statement"] if action in s["Action"] for resource in s["Resource"]]


def test_only_the_hook_callers_may_invoke_and_only_the_named_functions(tmp_path: Path) -> None:
    for function, document in rendered(tmp_path / "policies", HOOKS).items():
        expected = [CONFIRM, PRE] if function in HOOK_CALLERS else []  # sorted, a qualified ARN as written
        assert granted(document, "lambda:InvokeFunction") == expected, function
        assert violations(document) == []


def test_the_url_hooks_signing_secrets_are_readable_by_name_and_nothing_else(tmp_path: Path) -> None:
    hooks = {**HOOKS, "pre_rollout": {"url": "https://x.example/pre", "secret": "ssm:/model-shepherd/prod/hooks"}}
    documents = rendered(tmp_path / "policies", hooks)
    caller = documents["release_endpoint"]
    secret = "arn:aws:secretsmanager:us-east-1:123456789012:secret:model-shepherd/prod/hooks-??????"
    assert secret in granted(caller, "secretsmanager:GetSecretValue")
    assert granted(caller, "ssm:GetParameter") == [
        "arn:aws:ssm:us-east-1:123456789012:parameter/model-shepherd/prod/hooks"
    ]
    assert secret not in granted(documents["gate"], "secretsmanager:GetSecretValue")


def test_without_hooks_in_any_policy_nothing_is_invokable() -> None:
    names = stage_names(load_config(), "prod")
    policies = PROJECT / "policies"
    documents = iam.render(names, iam.load_target("prod"), iam.groups(policies), iam.release_targets(policies))
    assert all(granted(document, "lambda:InvokeFunction") == [] for document in documents.values())
