"""Running a variant of the demo (`make demo-batch`, `make demo-accounts`): the local stack on the variant's
policies, its story told as the demo's timeline, everything stopped; 0 when each step held, 1 otherwise."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

from devstack import demo_steps as steps
from devstack.demo import QuietReconciler, Step, Timeline, config_from_environment, tell
from devstack.environment import aws_client_factory
from devstack.errors import StackError
from devstack.stack import Ready, Stack

# What a variant does once the stack is up: its own setup, then the steps it tells.
Prepare = Callable[[Ready, steps.Story], list[Step]]


def run_variant(name: str, policy_dir: Path, say: Timeline, prepare: Prepare, canary_calls: int = 0) -> int:
    from devstack.server import serve_models
    from shepherd_cli.main import main as shepherd

    serve_models(canary_calls=canary_calls)  # endpoints and transform jobs run the versions' own models
    stack = Stack(config_from_environment(policy_dir), observers=[QuietReconciler(say)])
    try:
        ready = stack.start()
        say(f"local stack ready: AWS {ready.aws_url}, app {ready.app_url}")
        story = steps.Story(aws_client_factory(ready.aws_url), say, shepherd, app_url=ready.app_url)
        failures = tell(story, say, prepare(ready, story))
    except StackError as error:
        print(f"{name}: {error}", file=sys.stderr)
        return 1
    finally:
        stack.stop()
    say("done: everything stopped" if not failures else f"done with {failures} failed step(s)")
    return 0 if not failures else 1
