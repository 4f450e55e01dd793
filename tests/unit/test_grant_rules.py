"""Resource policies read from the document alone, in the shapes bucket, key and model package group
policies take: who they let read, what a Deny takes away, and what is said rather than guessed."""

from __future__ import annotations

import json
from typing import Any

from shepherd_cli.doctor.grant_rules import Caller, access

TARGET = "222222222222"
ROLE = f"arn:aws:iam::{TARGET}:role/model-shepherd-sagemaker-execution"
CALLER = Caller(TARGET, ROLE)
OBJECT = "arn:aws:s3:::models-bucket/fraud/v3/model.tar.gz"


def policy(*statements: dict[str, Any]) -> dict[str, Any]:
    return {"Version": "2012-10-17", "Statement": list(statements)}


def allow(principal: Any, **more: Any) -> dict[str, Any]:
    return {
        "Effect": "Allow",
        "Principal": principal,
        "Action": "s3:GetObject",
        "Resource": "arn:aws:s3:::models-bucket/*",
        **more,
    }


def reads(document: Any, caller: Caller = CALLER, resource: str = OBJECT) -> bool:
    return access(document, caller, "s3:GetObject", resource).allowed


def test_the_target_accounts_root_lets_its_roles_read() -> None:
    assert reads(policy(allow({"AWS": f"arn:aws:iam::{TARGET}:root"})))
    assert reads(policy(allow({"AWS": TARGET})))  # the account id alone means the same


def test_the_role_itself_or_a_list_naming_it() -> None:
    assert reads(policy(allow({"AWS": ROLE})))
    assert reads(policy(allow({"AWS": ["arn:aws:iam::333333333333:root", ROLE]})))


def test_another_account_or_role_or_a_service_does_not_let_the_target_read() -> None:
    assert not reads(policy(allow({"AWS": "arn:aws:iam::333333333333:root"})))
    assert not reads(policy(allow({"AWS": f"arn:aws:iam::{TARGET}:role/someone-else"})))
    assert not reads(policy(allow({"Service": "sagemaker.amazonaws.com"})))
    assert access(policy(), CALLER, "s3:GetObject", OBJECT).reason == "no statement allows it"
    assert not reads(None)  # a bucket without a policy


def test_the_action_and_resource_must_match_with_their_wildcards() -> None:
    assert reads(policy(allow("*", Action="s3:Get*", Condition={"StringEquals": {"aws:PrincipalAccount": TARGET}})))
    assert reads(policy(allow({"AWS": TARGET}, Action=["s3:*"])))
    assert reads(policy(allow({"AWS": TARGET}, Action="S3:getobject")))  # actions ignore case
    assert not reads(policy(allow({"AWS": TARGET}, Action="s3:ListBucket")))
    assert not reads(policy(allow({"AWS": TARGET}, Resource="arn:aws:s3:::models-bucket/other/*")))
    assert not reads(policy(allow({"AWS": TARGET}, Resource="arn:aws:s3:::Models-Bucket/*")))  # resources do not


def test_principal_star_is_narrowed_by_conditions_on_the_caller() -> None:
    for_target = {"StringEquals": {"aws:PrincipalAccount": [TARGET, "333333333333"]}}
    assert reads(policy(allow("*", Condition=for_target)))
    assert not reads(policy(allow("*", Condition={"StringEquals": {"aws:PrincipalAccount": "333333333333"}})))
    by_arn = {"ArnLike": {"aws:PrincipalArn": f"arn:aws:iam::{TARGET}:role/model-shepherd-*"}}
    assert reads(policy(allow({"AWS": "*"}, Condition=by_arn)))
    assert not reads(policy(allow("*", Condition={"StringLike": {"aws:PrincipalArn": "arn:aws:iam::*:role/x"}})))


def test_conditions_not_evaluated_are_said_not_guessed() -> None:
    answer = access(
        policy(allow("*", Condition={"StringEquals": {"aws:PrincipalOrgID": "o-abc123"}})),
        CALLER,
        "s3:GetObject",
        OBJECT,
    )
    assert answer.allowed and "if its conditions hold" in answer.reason
    assert answer.unevaluated == ("StringEquals aws:PrincipalOrgID",)


def test_an_applying_deny_wins_over_any_allow() -> None:
    deny = {"Sid": "OnlyTheOrg", "Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "*"}
    answer = access(policy(allow({"AWS": ROLE}), deny), CALLER, "s3:GetObject", OBJECT)
    assert not answer.allowed and answer.reason == "denied by statement 'OnlyTheOrg'"


def test_a_deny_on_conditions_not_evaluated_is_noted_and_the_allow_stands() -> None:
    https_only = {
        "Effect": "Deny",
        "Principal": "*",
        "Action": "s3:*",
        "Resource": "arn:aws:s3:::models-bucket/*",
        "Condition": {"Bool": {"aws:SecureTransport": "false"}},
    }
    answer = access(policy(allow({"AWS": ROLE}, Sid="Read"), https_only), CALLER, "s3:GetObject", OBJECT)
    assert answer.allowed and answer.reason == "allowed by statement 'Read'"
    assert answer.unevaluated == ("Bool aws:SecureTransport (a Deny, statement 2)",)


def test_a_deny_whose_caller_condition_excludes_the_target_does_not_apply() -> None:
    others = {"StringNotEquals": {"aws:PrincipalAccount": ["111111111111", TARGET]}}
    deny = {"Effect": "Deny", "Principal": "*", "Action": "s3:GetObject", "Resource": "*", "Condition": others}
    assert reads(policy(allow({"AWS": TARGET}), deny))


def test_not_principal_and_not_action() -> None:
    deny_all_but = {"Effect": "Deny", "NotPrincipal": {"AWS": [ROLE, f"arn:aws:iam::{TARGET}:root"]}, "Action": "*"}
    assert reads(policy(allow({"AWS": TARGET}), deny_all_but))
    deny_all_but_account = {"Effect": "Deny", "NotPrincipal": {"AWS": f"arn:aws:iam::{TARGET}:root"}, "Action": "*"}
    assert not reads(policy(allow({"AWS": TARGET}), deny_all_but_account))  # the role itself is not exempt
    deny_writes = {"Effect": "Deny", "Principal": "*", "NotAction": ["s3:GetObject", "s3:ListBucket"]}
    assert reads(policy(allow({"AWS": TARGET}), deny_writes))


def test_a_kms_key_policy_whose_statement_names_the_role_and_an_implied_resource() -> None:
    key = "arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab"
    document = json.dumps(
        policy(
            {
                "Sid": "Enable IAM User Permissions",
                "Effect": "Allow",
                "Principal": {"AWS": "arn:aws:iam::111111111111:root"},
                "Action": "kms:*",
                "Resource": "*",
            },
            {"Sid": "TargetDecrypts", "Effect": "Allow", "Principal": {"AWS": ROLE}, "Action": ["kms:Decrypt"]},
        )
    )
    assert access(document, CALLER, "kms:Decrypt", key).reason == "allowed by statement 'TargetDecrypts'"
    assert not access(document, Caller("333333333333", "arn:aws:iam::333333333333:role/x"), "kms:Decrypt", key).allowed
