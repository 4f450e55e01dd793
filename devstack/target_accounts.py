"""Stages in other moto accounts and regions, set up as infra/target-account.json sets up a real one: a rule
in each stage's account and region forwarding its endpoint and alarm events to the app's default bus (moto
delivers to a cross-account bus target). The rule is made with the stage's own credentials (AssumeRole on its
deploy role: moto's credentials from AssumeRole belong to the role's account)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from chalicelib.release.placement import Placement, placements

TEMPLATE = Path(__file__).resolve().parents[1] / "infra" / "target-account.json"
RULE = "model-shepherd-forward-release-events"


def stage_places(policy_dir: Path) -> set[Placement]:
    """Every placement the policies give a stage that a role reaches (the others are the app's own account)."""
    found: set[Placement] = set()
    for path in sorted(policy_dir.glob("*.json")):
        try:
            release = json.loads(path.read_text()).get("release") or {}
        except (ValueError, AttributeError):
            continue  # not a policy (the app refuses it, with its reasons)
        places = placements(release)
        found.update(place for place in (places.staging, places.production) if place and place.role_arn)
    return found


def forward_events_home(
    places: Iterable[Placement], home_account: str, home_region: str, aws_url: str | None = None
) -> list[str]:
    """Each place's forwarding rule, as the template's: returns the rules' ARNs."""
    import boto3

    pattern = json.loads(TEMPLATE.read_text())["Resources"]["ForwardReleaseEvents"]["Properties"]["EventPattern"]
    home_bus = f"arn:aws:events:{home_region}:{home_account}:event-bus/default"
    home = boto3.session.Session(region_name=home_region)
    made = []
    for place in sorted(places, key=lambda p: (p.role_arn or "", p.region or "")):
        assert place.role_arn is not None
        granted = _client(home, "sts", home_region, aws_url).assume_role(
            RoleArn=place.role_arn, RoleSessionName="model-shepherd-local-setup"
        )["Credentials"]
        session = boto3.session.Session(
            aws_access_key_id=granted["AccessKeyId"],
            aws_secret_access_key=granted["SecretAccessKey"],
            aws_session_token=granted["SessionToken"],
        )
        events = _client(session, "events", place.region or home_region, aws_url)
        rule = events.put_rule(Name=RULE, EventPattern=json.dumps(pattern), State="ENABLED")["RuleArn"]
        events.put_targets(Rule=RULE, Targets=[{"Id": "app-bus", "Arn": home_bus}])
        made.append(rule)
    return made


def _client(session: Any, service: str, region: str, aws_url: str | None) -> Any:
    return session.client(service, region_name=region, endpoint_url=aws_url)
