"""`make demo`: the whole story on the local stack, as a readable timeline, then everything stops.

Every step runs, in order, even after one fails (the rest of the story still says something); the demo
exits 0 when each did what it should, 1 otherwise.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from devstack import demo_people as people
from devstack import demo_progressive as progressive
from devstack import demo_release as release
from devstack import demo_setup, policy_alarms
from devstack import demo_steps as steps
from devstack.demo_report import the_report
from devstack.environment import aws_client_factory
from devstack.errors import StackError
from devstack.stack import Stack, StackConfig

Step = tuple[str, Callable[[steps.Story], None]]
STORY: list[Step] = [
    ("create the group the way the seed does", steps.register_group),
    ("the group's past: versions rejected last quarter", steps.rejected_last_quarter),
    ("a good version: auto-approved", steps.good_version),
    ("the good version: staged, smoke-tested, LIVE", release.good_goes_live),
    ("a bad version: rejected", steps.bad_version),
    ("a borderline version: sent to people", steps.borderline_version),
    ("people approve it: a click in (the fake) Slack", release.borderline_approved_in_slack),
    ("the borderline version: staged, smoke-tested, canary, LIVE", release.borderline_goes_live),
    ("a canary trips an alarm: rolled back", release.canary_trips_an_alarm),
    ("a manual rollback", release.manual_rollback),
    ("cleanup, dry run", steps.run_cli("cleanup", steps.GROUP, "--dry-run")),
    ("cleanup, for real", steps.cleanup_for_real),
    ("another borderline version: rejected in Slack, with a reason", people.rejected_with_a_reason),
    ("a regulated group: staged, smoke-tested, waiting for a person", people.regulated_waits_for_a_person),
    ("a person promotes it in Slack: LIVE", people.regulated_promoted_in_slack),
    ("a progressive group: its champion LIVE, customers calling it", progressive.champion_live_with_customers),
    ("a challenger judged step by step: aborted at 25%", progressive.aborted_at_25_percent),
    ("the production history", steps.run_cli("history", steps.GROUP)),
    ("where every version stands", steps.run_cli("status", steps.GROUP)),
    ("the picture: the group's life on one page", the_report),
]


class Timeline:
    def __init__(self) -> None:
        self._started = time.monotonic()

    def __call__(self, text: str) -> None:
        print(f"[{time.monotonic() - self._started:6.1f}s] {text}", flush=True)


def config_from_environment(policy_dir: Path) -> StackConfig:
    # Seconds, not minutes: endpoints, bakes; the reconciler (every 5 minutes) fires every second; the app's
    # clock and its metrics 60 times faster (deadlines and the watch window in app minutes, docs/local-stack.md).
    return StackConfig(
        aws_port=int(os.environ.get("SHEPHERD_LOCAL_AWS_PORT", "5000")),
        app_port=int(os.environ.get("SHEPHERD_LOCAL_APP_PORT", "8000")),
        creating_seconds=1.0,
        updating_seconds=1.0,
        bake_seconds=2.0,
        clock_speed=300.0,
        app_clock_speed=demo_setup.APP_CLOCK_SPEED,
        policy_dir=str(policy_dir),
    )


class QuietReconciler:
    """The timeline, without the reconciler's every-second 'nothing changed' (it speaks when it moves)."""

    def __init__(self, say: Timeline) -> None:
        self._say = say
        self._last = ""

    def __call__(self, invocation: Any) -> None:
        from devstack.timeline import describe_result, line

        if invocation.handler == "release_reconcile":
            said = describe_result(invocation)
            if said == self._last:
                return
            self._last = said
        self._say("handler  " + line(invocation)[10:])


def tell(story: steps.Story, say: Timeline, told: list[Step] | None = None) -> int:
    failures = 0
    for title, step in STORY if told is None else told:
        say(f"STEP     {title}")
        try:
            step(story)
        except steps.StepFailed as error:
            failures += 1
            say(f"FAILED   {title}: {error}")
    return failures


def show_notifications(story: steps.Story, queue_url: str, say: Timeline) -> None:
    sqs = story.client("sqs")
    while messages := sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10).get("Messages", []):
        for message in messages:
            body: dict[str, Any] = json.loads(message["Body"])
            say(f"SNS      {body.get('type')}: {body.get('group')} {_gist(body)}")
            sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"])


def _gist(body: dict[str, Any]) -> str:
    if "version" in body:
        return f"v{body['version']} {body.get('outcome', '')}".rstrip()
    if body.get("type") == "cleanup.summary":
        deleted = body.get("deleted", {}).get("versions", [])
        verb = "would delete" if body.get("dry_run") else "deleted"
        return f"{verb} {', '.join(f'v{v}' for v in deleted) or 'nothing'}"
    return ""


def main() -> int:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from shepherd_cli.main import main as shepherd

    say = Timeline()
    with tempfile.TemporaryDirectory(prefix="shepherd-demo-") as directory:
        policy_dir = demo_setup.demo_policies(Path(directory), clock_speed=demo_setup.APP_CLOCK_SPEED)
        people.regulated_policy(policy_dir)
        progressive.progressive_policy(policy_dir)
        say(
            f"demo policies: policies/*.json with the watch window after LIVE cut to "
            f"{demo_setup.WATCH_SECONDS:.0f} s (everything else as written); the app's clock and its metrics run "
            f"{demo_setup.APP_CLOCK_SPEED:.0f}x faster: a minute of app time is "
            f"{60 / demo_setup.APP_CLOCK_SPEED:.0f} s"
        )
        return run(config_from_environment(policy_dir), say, shepherd)


def run(config: StackConfig, say: Timeline, shepherd: Callable[[list[str]], int]) -> int:
    from devstack.server import serve_models
    from devstack.traffic import Traffic

    section = demo_setup.release_section(steps.GROUP, Path(str(config.policy_dir)))
    # The endpoints run the versions' own models; a canary's bake waits for the calls the policy counts.
    serve_models(canary_calls=int(section["deployment"].get("min_canary_invocations", 0)))
    stack, traffic, story = Stack(config, observers=[QuietReconciler(say)]), None, None
    try:
        ready = stack.start()
        say(
            f"local stack ready: AWS {ready.aws_url}, app {ready.app_url}, "
            f"fake Slack {ready.environment.get('SHEPHERD_SLACK_API_URL', 'none')}"
        )
        client = aws_client_factory(ready.aws_url)
        alarms = policy_alarms.create_alarms(client("cloudwatch"), section)
        production = section["production"]["endpoint_name"]
        traffic = Traffic(client("sagemaker-runtime"), production).start()
        say(f"customer traffic: calling {production} ~100 times a second whenever it answers")
        story = steps.Story(
            client,
            say,
            shepherd,
            production_endpoint=production,
            alarms=alarms,
            traffic_answered=lambda: traffic.answered if traffic else 0,
            app_url=ready.app_url,
        )
        failures = tell(story, say)
        show_notifications(story, ready.resources.inbox_queue_url, say)
    except StackError as error:
        print(f"demo: {error}", file=sys.stderr)
        return 1
    finally:
        for customers in [traffic, *(story.customers.values() if story else ())]:
            if customers is not None:
                customers.stop()
        stack.stop()
    say("done: everything stopped" if not failures else f"done with {failures} failed step(s)")
    return 0 if not failures else 1


if __name__ == "__main__":
    sys.exit(main())
