"""The role check for stages in other accounts: a release function's AssumeRole is allowed on the deploy roles
its policies name and refused on any other role (the stage's own calls are the deploy role's to authorise)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from infra.names import PROJECT
from tests.support.aws_calls import AwsCall
from tests.support.function_roles import rendered_roles
from tests.support.iam_requests import iam_requests
from tests.support.policies import example_document
from tests.support.role_check import refused

PRODUCTION_ROLE = "arn:aws:iam::333333333333:role/model-shepherd-deploy"


def assume(function: str, role: str) -> AwsCall:
    params = {"RoleArn": role, "RoleSessionName": "model-shepherd-production", "DurationSeconds": 3600}
    return AwsCall(function, "sts", "AssumeRole", params, "us-east-1")


def test_assume_role_is_allowed_on_the_named_deploy_role_only(tmp_path: Path) -> None:
    policies = tmp_path / "policies"
    shutil.copytree(PROJECT / "policies", policies)
    document = example_document()
    document["release"]["production"]["role_arn"] = PRODUCTION_ROLE
    (policies / "fraud-detection-models.json").write_text(json.dumps(document))
    roles = rendered_roles(policies=policies)
    named = iam_requests(assume("release_endpoint", PRODUCTION_ROLE))
    assert [request.resource for request in named] == [PRODUCTION_ROLE]
    assert refused(roles["release_endpoint"], named) == []
    other = iam_requests(assume("release_endpoint", "arn:aws:iam::444444444444:role/admin"))
    assert refused(roles["release_endpoint"], other) == other
    assert refused(roles["gate"], named) == named  # the gate reaches no stage
    assert refused(rendered_roles()["release_endpoint"], named) == named  # no stage elsewhere: no role at all
