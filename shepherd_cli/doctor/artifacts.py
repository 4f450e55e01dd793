"""Whether each account a group's stages are placed in can make a model from the registry's versions: the
model data's bucket policy and KMS key policy let its execution role read, and the model package group's
resource policy lets its deploy role describe the version and create a model from it."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from botocore.exceptions import ClientError

from chalicelib.release.placement import placement
from chalicelib.release.policy import ReleasePolicy
from shepherd_cli.doctor import artifact_reads as reads
from shepherd_cli.doctor.grant_rules import Access, Caller, access
from shepherd_cli.doctor.results import Account, Check, fail, ok, refused, skip

HOW = "see docs/multi-account.md#setting-up-a-target-account"
PACKAGE_ACTIONS = ("sagemaker:DescribeModelPackage", "sagemaker:CreateModel")


@dataclass(frozen=True)
class Target:
    """An account a stage is placed in: the roles that read there (the model's, and the release's)."""

    execution: Caller
    deploy: Caller | None


def check_artifacts(account: Account, group: str, section: Mapping[str, Any]) -> list[Check]:
    if section.get("target") == "batch" or not targets_of(section, home=""):
        return []  # every stage is in the app's own account (a batch release always is)
    sagemaker = account.client("sagemaker")
    try:
        package = reads.newest_version(sagemaker, group)
    except ClientError as error:
        return [refused(f"artifacts:{group}", error, f"cannot read the versions of {group}")]
    if package is None:
        return [skip(f"artifacts:{group}", "no version registered yet: nothing to check")]
    home = package["ModelPackageArn"].split(":")[4]
    targets = targets_of(section, home)
    if not targets:
        return []  # every stage is in the registry's account: nothing crosses an account
    return [
        _checked(f"artifacts:{group}:model-data", lambda: model_data(account, package, targets)),
        _checked(f"artifacts:{group}:kms-key", lambda: kms_keys(account, package, targets)),
        _checked(f"artifacts:{group}:package-group", lambda: package_group(account, group, package, targets)),
    ]


def targets_of(section: Mapping[str, Any], home: str) -> list[Target]:
    found: dict[str, Target] = {}
    policy = ReleasePolicy.from_section(section)
    for stage in ("staging", "production"):
        place = placement(section.get(stage, {}))
        if place is None or place.target_account in (None, home):
            continue
        account = str(place.target_account)
        execution = Caller(account, policy.execution_role(stage))
        deploy = Caller(account, place.role_arn) if place.role_arn else None
        found.setdefault(account, Target(execution, deploy))
    return list(found.values())


def _checked(name: str, check: Callable[[], tuple[bool, str]]) -> Check:
    try:
        passed, reason = check()
    except ClientError as error:
        return refused(name, error, "cannot read the policy or the model data")
    return ok(name, reason) if passed else fail(name, reason)


def model_data(account: Account, package: dict[str, Any], targets: Sequence[Target]) -> tuple[bool, str]:
    s3 = account.client("s3")
    found = reads.model_data(package)
    if not found:
        return True, "the newest version names no model data in S3"
    lines = []
    for data in found:
        policy = reads.bucket_policy(s3, data.bucket)
        for target in targets:
            answer = access(policy, target.execution, "s3:GetObject", data.arn)
            lines.append(
                said(answer, target.execution, "s3:GetObject", data.url, f"the bucket policy of {data.bucket}")
            )
    return summed(lines)


def kms_keys(account: Account, package: dict[str, Any], targets: Sequence[Target]) -> tuple[bool, str]:
    lines = []
    for data in reads.model_data(package):
        key = reads.encryption_key(account.client("s3"), data)
        if key is None:
            lines.append((True, f"{data.url}: no KMS key (SSE-S3 or none)"))
        elif key == reads.AWS_MANAGED:
            lines.append((False, f"{data.url} is encrypted with aws/s3, which no other account can use: use a "
                          "customer managed key"))  # fmt: skip
        else:
            arn, policy = reads.key_policy(account.client("kms"), key)
            for target in targets:
                answer = access(policy, target.execution, "kms:Decrypt", arn)
                lines.append(said(answer, target.execution, "kms:Decrypt", arn, "its key policy"))
    return summed(lines) if lines else (True, "the newest version names no model data in S3")


def package_group(account: Account, group: str, package: dict[str, Any], targets: Sequence[Target]) -> tuple[bool, str]:
    policy = reads.group_policy(account.client("sagemaker"), group)
    arn = package["ModelPackageArn"]
    lines = [
        said(access(policy, target.deploy, action, arn), target.deploy, action, arn, f"the resource policy of {group}")
        for target in targets
        if target.deploy is not None
        for action in PACKAGE_ACTIONS
    ]
    return summed(lines) if lines else (True, "no stage reaches its account through a deploy role")


def said(answer: Access, caller: Caller, action: str, what: str, document: str) -> tuple[bool, str]:
    who = f"account {caller.account} (role {caller.role_arn})"
    if not answer.allowed:
        return False, f"{document} does not let {who} {action} on {what}: {answer.reason} ({HOW})"
    unsure = f" (not evaluated: {', '.join(answer.unevaluated)})" if answer.unevaluated else ""
    return True, f"{action} on {what} for {who}: {answer.reason}{unsure}"


def summed(lines: Sequence[tuple[bool, str]]) -> tuple[bool, str]:
    """Failures first and alone, else every line that passed."""
    failures = [line for passed, line in lines if not passed]
    return (False, "; ".join(failures)) if failures else (True, "; ".join(line for _, line in lines))
