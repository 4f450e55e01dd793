"""Stages in other accounts: the app's functions may assume exactly the deploy roles the policies name."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

from infra import iam
from infra.iam_rules import violations
from infra.names import PROJECT, load_config, stage_names
from tests.support.policies import example_document

STAGING_ROLE = "arn:aws:iam::222222222222:role/model-shepherd-deploy"
PRODUCTION_ROLE = "arn:aws:iam::333333333333:role/model-shepherd-deploy"
STAGE_CALLERS = {"api_handler", "release_decided", "release_endpoint", "release_alarm", "release_reconcile"}


def policies_of(directory: Path, document: dict[str, Any]) -> Path:
    """The repository's policies in `directory`, the example group's replaced by `document`."""
    shutil.copytree(PROJECT / "policies", directory)
    (directory / "fraud-detection-models.json").write_text(json.dumps(document))
    return directory


def rendered_with_deploy_roles(directory: Path) -> dict[str, dict[str, Any]]:
    document = example_document()
    document["release"]["staging"]["role_arn"] = STAGING_ROLE
    document["release"]["production"].update(role_arn=PRODUCTION_ROLE, external_id="model-shepherd")
    policies_of(directory, document)
    names = stage_names(load_config(), "prod")
    return iam.render(names, iam.load_target("prod"), iam.groups(directory), iam.release_targets(directory))


def assumable(document: dict[str, Any]) -> list[str]:
    return [
        resource
        for statement in document["Statement"]
        if "sts:AssumeRole" in statement["Action"]
        for resource in statement["Resource"]
    ]


def test_the_release_functions_may_assume_only_the_deploy_roles_the_policies_name(tmp_path: Path) -> None:
    documents = rendered_with_deploy_roles(tmp_path / "policies")
    for function, document in documents.items():
        expected = [STAGING_ROLE, PRODUCTION_ROLE] if function in STAGE_CALLERS else []  # sorted
        assert assumable(document) == expected, function
        assert violations(document) == []  # no wildcard role, no other account's anything else


def test_pass_role_stays_the_execution_roles_and_only_to_sagemaker(tmp_path: Path) -> None:
    documents = rendered_with_deploy_roles(tmp_path / "policies")
    for document in documents.values():
        for statement in document["Statement"]:
            if "iam:PassRole" in statement["Action"]:
                assert statement["Condition"] == {"StringEquals": {"iam:PassedToService": "sagemaker.amazonaws.com"}}
                assert STAGING_ROLE not in statement["Resource"] and PRODUCTION_ROLE not in statement["Resource"]


def test_without_stages_elsewhere_no_role_is_assumable() -> None:
    names = stage_names(load_config(), "prod")
    policies = PROJECT / "policies"
    documents = iam.render(names, iam.load_target("prod"), iam.groups(policies), iam.release_targets(policies))
    assert all(assumable(document) == [] for document in documents.values())


def test_a_stages_own_execution_role_at_home_is_passed_and_one_elsewhere_is_its_accounts(tmp_path: Path) -> None:
    home_role = "arn:aws:iam::123456789012:role/fraud-staging-execution"
    elsewhere_role = "arn:aws:iam::333333333333:role/fraud-prod-execution"
    document = example_document()
    document["release"]["staging"].update(execution_role_arn=home_role, region="eu-west-1")
    document["release"]["production"].update(role_arn=PRODUCTION_ROLE, execution_role_arn=elsewhere_role)
    targets = iam.release_targets(policies_of(tmp_path / "policies", document))
    assert home_role in targets.roles  # the app creates staging's model with its own credentials
    assert elsewhere_role not in targets.roles  # the deploy role passes it (the target-account template)


def test_an_async_staging_elsewhere_is_smoke_tested_by_its_deploy_role_not_the_app(tmp_path: Path) -> None:
    from tests.support.policies import async_document

    document = async_document()
    document["release"]["staging"]["role_arn"] = STAGING_ROLE
    targets = iam.release_targets(policies_of(tmp_path / "policies", document))
    assert (targets.async_staging, targets.async_inputs, targets.async_answers) == ((), (), ())
