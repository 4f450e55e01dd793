"""`make demo-accounts`: a release across accounts on the local stack, as a readable timeline, then everything stops.

The registry is the app's moto account (123456789012, us-east-1); the example group's staging is placed in
222222222222 (eu-west-1) and production in 333333333333 (us-east-1), each reached through its deploy role
(devstack.accounts_setup). A good version registered at home goes LIVE in the production account; a second one,
whose canary no customer calls there, is rolled back in that account. Each step says where it happened.
Exits 0 when each step did what it should, 1 otherwise.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path
from typing import Any

from devstack import accounts_setup as places
from devstack import demo_steps as steps
from devstack import fraud_model, seed
from devstack.demo import Step, Timeline
from devstack.demo_variant import run_variant
from devstack.stack import Ready

GROUP = seed.GROUP
REGISTRY = f"registry account {places.HOME[0]} ({places.HOME[1]})"
STAGING = f"staging account {places.STAGING_AT[0]} ({places.STAGING_AT[1]})"
PRODUCTION = f"production account {places.PRODUCTION_AT[0]} ({places.PRODUCTION_AT[1]})"


class Accounts:
    """The stages' own SageMaker clients, through their deploy roles."""

    def __init__(self, aws_url: str, sts: Any, release: dict[str, Any]) -> None:
        self.staging = places.in_account(aws_url, sts, places.STAGING_ROLE, "sagemaker", places.STAGING_AT[1])
        self.production = places.in_account(aws_url, sts, places.PRODUCTION_ROLE, "sagemaker")
        self.staging_endpoint = release["staging"]["endpoint_name"]
        self.production_endpoint = release["production"]["endpoint_name"]


def steps_across(accounts: Accounts) -> list[Step]:
    def good_goes_live(story: steps.Story) -> None:
        story.register("good", fraud_model.GOOD)
        story.say(f"  in the {REGISTRY}: {GROUP}/v{story.version('good')} {story.decided('good')}")
        _wait_outcome(story, "good", "LIVE")
        staged = accounts.staging.describe_endpoint(EndpointName=accounts.staging_endpoint)["EndpointStatus"]
        story.say(f"  in the {STAGING}: {accounts.staging_endpoint} {staged}")
        live = story.wait_for("production serves good", lambda: _serves(accounts, story.version("good")))
        story.say(f"  in the {PRODUCTION}: {accounts.production_endpoint} serves v{live}: LIVE")
        home = story.client("sagemaker").list_endpoints()["Endpoints"]
        story.say(f"  in the {REGISTRY}: {len(home)} endpoint(s): nothing of the release is there")

    def canary_rolled_back(story: steps.Story) -> None:
        story.register("canary", fraud_model.BETTER)
        decided = story.wait_for("the gate's decision", lambda: story.decided("canary"))
        story.say(f"  in the {REGISTRY}: v{story.version('canary')} {decided}")
        if decided.startswith("PendingManualApproval"):
            steps.run_cli("approve", GROUP, str(story.version("canary")), "--reason", "demo", "--by", "demo")(story)
        reason = _wait_outcome(story, "canary", "ROLLED_BACK", timeout=90)
        story.say(f"  v{story.version('canary')} ROLLED_BACK: {reason}")
        back = story.wait_for("production back on good", lambda: _serves(accounts, story.version("good")))
        story.say(f"  in the {PRODUCTION}: {accounts.production_endpoint} serves v{back} again")

    return [
        ("create the group in the registry account, the way the seed does", steps.register_group),
        ("a good version registered at home: LIVE in the production account", good_goes_live),
        ("a canary nobody calls in the production account: rolled back there", canary_rolled_back),
        ("the production history", steps.run_cli("history", GROUP)),
        ("where every version stands, and where each stage is", steps.run_cli("status", GROUP)),
    ]


def _serves(accounts: Accounts, version: int) -> int | None:
    return version if places.serving(accounts.production, accounts.production_endpoint) == version else None


def _wait_outcome(story: steps.Story, name: str, outcome: str, timeout: float = 60) -> str:
    def ended() -> str | None:
        row = next((row for row in story.history() if row.version == story.version(name)), None)
        return (row.reason or outcome) if row is not None and str(row.outcome) == outcome else None

    found: str = story.wait_for(f"{name} {outcome}", ended, timeout)
    return found


def main() -> int:
    say = Timeline()
    with tempfile.TemporaryDirectory(prefix="shepherd-demo-accounts-") as directory:
        release = places.accounts_policies(Path(directory))
        say(f"demo policies: {GROUP}'s staging in the {STAGING}, production in the {PRODUCTION}")

        def prepare(ready: Ready, story: steps.Story) -> list[Step]:
            say(f"the app and the registry are in the {REGISTRY}")
            story.production_endpoint = release["production"]["endpoint_name"]
            return steps_across(Accounts(ready.aws_url, story.client("sts"), release))

        canary_calls = int(release["deployment"].get("min_canary_invocations", 0))
        return run_variant("demo-accounts", Path(directory), say, prepare, canary_calls)


if __name__ == "__main__":
    sys.exit(main())
