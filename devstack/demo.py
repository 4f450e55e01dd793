"""`make demo`: the whole story on the local stack, as a readable timeline, then everything stops.

Steps whose capability has not landed yet are printed as PENDING and skipped; the demo exits 0
when every step that could run did what it should, 1 otherwise.
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from devstack import demo_steps as steps
from devstack.environment import aws_client_factory
from devstack.errors import StackError
from devstack.stack import Stack, StackConfig

Step = tuple[str, Callable[[steps.Story], None], tuple[tuple[str, str], ...]]
STORY: list[Step] = [
    ("create the group the way the seed does", steps.register_group, ()),
    ("a good version: auto-approved", steps.good_version, ()),
    ("the good version: staged, smoke-tested, LIVE", steps.good_goes_live, (steps.RELEASE,)),
    ("a bad version: rejected", steps.bad_version, ()),
    ("a borderline version: sent to people", steps.borderline_version, ()),
    ("people approve it (Slack click; the CLI until Slack lands)", steps.borderline_approved_by_a_person, ()),
    ("a canary trips an alarm: rolled back", steps.canary_trips_an_alarm, (steps.RELEASE,)),
    ("a manual rollback", steps.run_cli("rollback", steps.GROUP, "--reason", "demo: manual rollback"),
     (steps.ROLLBACK_CLI,)),
    ("cleanup, dry run", steps.run_cli("cleanup", steps.GROUP, "--dry-run"), (steps.CLEANUP_CLI,)),
    ("cleanup, for real", steps.run_cli("cleanup", steps.GROUP), (steps.CLEANUP_CLI,)),
    ("the production history", steps.run_cli("history", steps.GROUP), (steps.HISTORY_CLI,)),
    ("where every version stands", steps.run_cli("status", steps.GROUP), ()),
]


class Timeline:
    def __init__(self) -> None:
        self._started = time.monotonic()

    def __call__(self, text: str) -> None:
        print(f"[{time.monotonic() - self._started:6.1f}s] {text}", flush=True)


def config_from_environment() -> StackConfig:
    return StackConfig(aws_port=int(os.environ.get("SHEPHERD_LOCAL_AWS_PORT", "5000")),
                       app_port=int(os.environ.get("SHEPHERD_LOCAL_APP_PORT", "8000")),
                       creating_seconds=1.0, updating_seconds=1.0, bake_seconds=2.0)


def tell(story: steps.Story, say: Timeline) -> int:
    failures = 0
    for title, step, needs in STORY:
        if absent := steps.missing(*needs):
            say(f"PENDING  {title}: needs {', '.join(absent)}")
            continue
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
            version, outcome = body.get("version", "?"), body.get("outcome", "")
            say(f"SNS      {body.get('type')}: {body.get('group')} v{version} {outcome}")
            sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"])


def main() -> int:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from devstack.timeline import line
    from shepherd_cli.main import main as shepherd

    say = Timeline()
    stack = Stack(config_from_environment(), observers=[lambda invocation: say("handler  " + line(invocation)[10:])])
    try:
        ready = stack.start()
        say(f"local stack ready: AWS {ready.aws_url}, app {ready.app_url}")
        story = steps.Story(aws_client_factory(ready.aws_url), say, shepherd)
        failures = tell(story, say)
        show_notifications(story, ready.resources.inbox_queue_url, say)
    except StackError as error:
        print(f"demo: {error}", file=sys.stderr)
        return 1
    finally:
        stack.stop()
    say("done: everything stopped" if not failures else f"done with {failures} failed step(s)")
    return 0 if not failures else 1


if __name__ == "__main__":
    sys.exit(main())
