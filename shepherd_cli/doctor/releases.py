"""Each policy's release section: endpoints there or creatable, instance types SageMaker knows, the
execution role and the alarms it names."""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from typing import Any

from botocore.exceptions import ClientError

from chalicelib.adapters.aws import error_code
from chalicelib.adapters.policy_files import FilePolicyRepository
from chalicelib.release.policy import ReleasePolicy
from chalicelib.shared.errors import ShepherdError
from chalicelib.shared.settings import load_settings
from shepherd_cli.doctor.artifacts import check_artifacts
from shepherd_cli.doctor.results import Account, Check, fail, ok, refused, skip
from shepherd_cli.doctor.stages import StageAt, stages_at

ROLE_ARN_PREFIX = ":role/"
MAX_ALARM_NAMES = 100  # DescribeAlarms takes at most 100 names


def check_releases(account: Account) -> list[Check]:
    try:
        repository = FilePolicyRepository(load_settings(account.environment).policy_dir)
    except ShepherdError as error:
        return [skip("release", f"no policies to check: {error}")]
    checks = []
    for group in repository.groups():
        try:
            section = repository.get(group).section("release")
        except ShepherdError as error:
            checks.append(fail(f"policy:{group}", f"{error}: fix the policy file"))
            continue
        if not section:
            checks.append(skip(f"release:{group}", "the policy has no release section"))
            continue
        checks += check_release(account, group, section)
    return checks


def check_release(account: Account, group: str, section: Mapping[str, Any]) -> list[Check]:
    reached, refused = stages_at(account, group, section)
    production = next((at for at in reached if at.stage == "production"), None)
    return [
        *refused,
        check_endpoints(group, section, reached),
        check_instance_types(account, group, section),
        check_execution_roles(group, section, reached),
        check_alarms(production, group, [str(name) for name in section.get("alarms", [])]),
        *check_artifacts(account, group, section),
    ]


def check_endpoints(group: str, section: Mapping[str, Any], reached: list[StageAt]) -> Check:
    name = f"release:{group}:endpoints"
    if section.get("target") == "batch":
        return ok(name, f"batch: no endpoint (production is the parameter /model-shepherd/{group}/production)")
    if not reached:
        return skip(name, "no stage could be reached")
    seen = []
    for at in reached:
        endpoint = str(section[at.stage]["endpoint_name"])
        try:
            status = at.account.client("sagemaker").describe_endpoint(EndpointName=endpoint)["EndpointStatus"]
        except ClientError as error:
            if error_code(error) != "ValidationException":  # SageMaker's answer for an absent endpoint
                return refused(name, error, f"cannot describe endpoint {endpoint}{at.where}")
            seen.append(f"{endpoint}{at.where} will be created")
            continue
        if status == "Failed":
            return fail(name, f"endpoint {endpoint}{at.where} is Failed: delete it or fix it before a release")
        seen.append(f"{endpoint}{at.where} {status}")
    return ok(name, "; ".join(seen))


def check_instance_types(account: Account, group: str, section: Mapping[str, Any]) -> Check:
    name = f"release:{group}:instance-types"
    if section.get("target") == "batch":  # the schema admits only SageMaker's transform instance types
        return ok(name, f"batch: {section['batch_transform']['instance_type']} for the smoke transform job")
    # A serverless endpoint names no instance type: its capacity is memory and concurrency.
    wanted = [
        str(section[stage]["instance_type"]) for stage in ("staging", "production") if "instance_type" in section[stage]
    ]
    if not wanted:
        return ok(name, "serverless: no instance types")
    unknown = [kind for kind in wanted if kind not in instance_types(account)]
    if unknown:
        return fail(name, f"SageMaker has no instance type {', '.join(unknown)}: pick one of ml.*")
    return ok(name, ", ".join(dict.fromkeys(wanted)))


def instance_types(account: Account) -> frozenset[str]:
    return _instance_types(account.client("sagemaker").meta.service_model)


@cache
def _instance_types(service_model: Any) -> frozenset[str]:
    return frozenset(service_model.shape_for("ProductionVariantInstanceType").enum)


def check_execution_roles(group: str, section: Mapping[str, Any], reached: list[StageAt]) -> Check:
    """The model's execution role in each account a stage runs in (the same role name there)."""
    name = f"release:{group}:execution-role"
    role_arn = str(section.get("execution_role_arn", ""))
    if ROLE_ARN_PREFIX not in role_arn:
        return fail(name, f"execution_role_arn {role_arn!r} is not a role ARN")
    found = []
    policy = ReleasePolicy.from_section(section)
    for at in reached:
        role = policy.execution_role(at.stage).split(ROLE_ARN_PREFIX, 1)[1].rsplit("/", 1)[-1]
        try:
            at.account.client("iam").get_role(RoleName=role)
        except ClientError as error:
            if error_code(error) == "NoSuchEntity":
                return fail(name, f"role {role}{at.where} does not exist: create it for SageMaker (docs/operating.md)")
            return refused(name, error, f"cannot read role {role}{at.where}")
        found.append(f"role {role}{at.where} exists")
    return ok(name, "; ".join(dict.fromkeys(found))) if found else skip(name, "no stage could be reached")


def check_alarms(production: StageAt | None, group: str, alarms: list[str]) -> Check:
    """The alarms live where production serves (its CloudWatch)."""
    name = f"release:{group}:alarms"
    if not alarms:
        return skip(name, "the policy names no alarms")
    if production is None:
        return skip(name, "production could not be reached")
    account = production.account
    found: set[str] = set()
    try:
        for start in range(0, len(alarms), MAX_ALARM_NAMES):
            pages = (
                account.client("cloudwatch")
                .get_paginator("describe_alarms")
                .paginate(
                    AlarmNames=alarms[start : start + MAX_ALARM_NAMES], AlarmTypes=["MetricAlarm", "CompositeAlarm"]
                )
            )
            for page in pages:
                found |= {
                    alarm["AlarmName"] for alarm in page.get("MetricAlarms", []) + page.get("CompositeAlarms", [])
                }
    except ClientError as error:
        return refused(name, error, f"cannot describe alarms{production.where}")
    missing = [alarm for alarm in alarms if alarm not in found]
    if missing:
        missing_names = ", ".join(missing)
        return fail(name, f"no alarm named {missing_names}{production.where}: create it or remove it from the policy")
    return ok(name, ", ".join(alarms))
