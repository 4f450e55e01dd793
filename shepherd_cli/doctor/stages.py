"""Where each stage of a release is checked: the app's own account, or the stage's account and region reached
as the release reaches it (AssumedPlaces: its deploy role with its external_id), with a session that may only
read what the doctor reads."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from chalicelib.adapters.places import AssumedPlaces
from chalicelib.release.placement import Placement, placement
from chalicelib.shared.errors import StageAccessError, StageUnreachableError
from shepherd_cli.doctor.results import Account, Check, fail

STAGES = ("staging", "production")
# What the doctor reads in a stage's account: the session policy narrows the deploy role to these, so an
# operator trusted by the role (the template's DoctorArns) cannot deploy with it.
DOCTOR_READS = ("sagemaker:DescribeEndpoint", "iam:GetRole", "cloudwatch:DescribeAlarms")
READ_ONLY = json.dumps(
    {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": list(DOCTOR_READS), "Resource": "*"}]}
)


@dataclass(frozen=True)
class StageAt:
    """A stage and the account it is checked in; `where` says it in a reason ("" for the app's own)."""

    stage: str
    account: Account
    place: Placement | None

    @property
    def where(self) -> str:
        if self.place is None:
            return ""
        return f" in account {self.place.target_account or 'of the app'}, region {self.place.region or 'of the app'}"


def stages_at(account: Account, group: str, section: Mapping[str, Any]) -> tuple[list[StageAt], list[Check]]:
    """The stages that can be checked, and a failed check for each whose role cannot be assumed."""
    places = AssumedPlaces(lambda: account.client("sts"), session_policy=READ_ONLY)
    reached: list[StageAt] = []
    refused: list[Check] = []
    for stage in STAGES:
        place = placement(section.get(stage, {}))
        if place is None:
            reached.append(StageAt(stage, account, None))
            continue
        try:
            clients = places.clients(place, stage)
        except (StageAccessError, StageUnreachableError) as error:
            role = place.role_arn or f"the app's credentials in region {place.region}"
            refused.append(fail(f"release:{group}:{stage}:role", f"cannot assume {role}: {error}"))
            continue
        reached.append(StageAt(stage, replace(account, client=clients), place))
    return reached, refused
