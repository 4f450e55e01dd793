"""What the CLI commands share: the app's own adapters, and lookups that fail with clear errors."""

from __future__ import annotations

import argparse
import os
from typing import TYPE_CHECKING

from botocore.exceptions import ClientError

from chalicelib.adapters.aws import SessionClients, error_code
from chalicelib.bootstrap import Container
from chalicelib.gate.metrics import parse_metrics_document
from chalicelib.shared import decision_record as record
from chalicelib.shared.errors import (
    InvalidPolicyError,
    MetricsUnavailableError,
    ModelPackageNotFoundError,
    PolicyNotFoundError,
)
from chalicelib.shared.events import GROUP_NAME
from chalicelib.shared.model_version import ModelVersion
from chalicelib.shared.policy import Policy
from chalicelib.slack.modal import MAX_REASON
from shepherd_cli import local_clock

MAX_GROUP_NAME = 63  # SageMaker's EntityName

if TYPE_CHECKING:
    from mypy_boto3_sagemaker.type_defs import ModelPackageSummaryTypeDef


def make_container() -> Container:
    """The same composition as the app's, with clients that say at once when AWS cannot be reached; tests
    replace this function."""
    clock = local_clock.from_environment(os.environ)  # a local stack running its time faster: its time
    return Container(client_factory=SessionClients(interactive=True), clock=clock.now if clock else None)


def positive_int(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"a version is a positive whole number, not {text!r}")
    return int(text)


def positive_count(text: str) -> int:
    if not text.strip().isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"must be a whole number of at least 1, not {text!r}")
    return int(text)


def non_empty(text: str) -> str:
    if not text.strip():
        raise argparse.ArgumentTypeError("must not be empty")
    return text.strip()


def reason(text: str) -> str:
    """A person's reason, within what Slack's reason modal takes: it is kept in ApprovalDescription (1,024
    characters with who decided), in the release history (a DynamoDB item, 400 KB) and in notifications
    (an SNS message, 256 KB), each of which refuses (or would cut) a longer one."""
    kept = non_empty(text)
    if len(kept) > MAX_REASON:
        raise argparse.ArgumentTypeError(f"at most {MAX_REASON} characters, not {len(kept)}: say it shorter")
    return kept


def group_arn(container: Container, group: str) -> str:
    if len(group) > MAX_GROUP_NAME or not GROUP_NAME.fullmatch(group):  # SageMaker would refuse to look
        raise ModelPackageNotFoundError(f"no model package group named {group[:80]!r}: not a SageMaker group name")
    try:
        found = container.client("sagemaker").describe_model_package_group(ModelPackageGroupName=group)
    except ClientError as error:
        if error_code(error) in ("ValidationException", "ResourceNotFound"):
            raise ModelPackageNotFoundError(f"no model package group named {group!r}") from None
        raise
    arn: str = found["ModelPackageGroupArn"]
    return arn


def get_version(container: Container, group: str, number: int) -> ModelVersion:
    # SageMaker writes a version's ARN in lower case whatever the group's name (moto keeps the group's case).
    arn = (group_arn(container, group).replace(":model-package-group/", ":model-package/") + f"/{number}").lower()
    try:
        return container.registry.get_version(arn)
    except ModelPackageNotFoundError:
        raise ModelPackageNotFoundError(f"{group} has no version {number}") from None


def list_versions(container: Container, group: str) -> list[ModelPackageSummaryTypeDef]:
    group_arn(container, group)  # an unknown group is an error, not an empty list
    pages = (
        container.client("sagemaker")
        .get_paginator("list_model_packages")
        .paginate(ModelPackageGroupName=group, SortBy="CreationTime", SortOrder="Descending")
    )
    summaries = [summary for page in pages for summary in page.get("ModelPackageSummaryList", [])]
    return sorted(summaries, key=lambda summary: -int(summary.get("ModelPackageVersion", 0)))


def policy_or_none(container: Container, group: str) -> Policy | None:
    try:
        return container.policies.get(group)
    except (PolicyNotFoundError, InvalidPolicyError):
        return None


def policy_problem(container: Container, group: str) -> tuple[Policy | None, str | None]:
    """The group's policy, or why it has none that can be used (None, None: the group is not managed)."""
    try:
        return container.policies.get(group), None
    except PolicyNotFoundError:
        return None, None
    except InvalidPolicyError as error:
        return None, str(error)


def metrics_of(container: Container, version: ModelVersion, prefer_snapshot: bool = True) -> dict[str, float]:
    """The version's metrics: the gate's snapshot when it has one, else the document in S3."""
    snapshot = record.recorded_metrics(version.metadata) if prefer_snapshot else None
    if snapshot:
        return snapshot
    if not version.metrics_uri:
        raise MetricsUnavailableError(f"{version.label} names no metrics document")
    return parse_metrics_document(container.metrics_reader.read(version.metrics_uri))
