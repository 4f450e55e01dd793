"""The demo's stories on their own local stack: the 60x app clock, the demo's policies, a Story that reads the
release state from the stack's environment (as `shepherd status` does) and stops its customers at the end."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from devstack import demo_progressive as progressive
from devstack import demo_setup
from devstack.demo_steps import Story
from tests.support.local_stack import RunningStack, start_stack, wait_for


def fast_stack(directory: Path, *policies: Callable[[Path], object]) -> RunningStack:
    """A stack on the demo's clocks, its policies the demo's (the progressive group's among them) and `policies`."""
    written = demo_setup.demo_policies(directory, clock_speed=demo_setup.APP_CLOCK_SPEED)
    progressive.progressive_policy(written)
    for policy in policies:
        policy(written)
    speed = str(demo_setup.APP_CLOCK_SPEED)
    stack = start_stack("--policy-dir", str(written), "--clock-speed", "300", "--app-clock-speed", speed)
    wait_for(lambda: "SHEPHERD_STATE_TABLE" in stack.environment)  # the exports follow the ready line
    return stack


def use_stack_environment(stack: RunningStack, patch: pytest.MonkeyPatch) -> None:
    for name, value in stack.environment.items():
        patch.setenv(name, value)


def told_on(stack: RunningStack, begin: Callable[[Story], None] = lambda _: None) -> Iterator[Story]:
    """A Story on the stack, `begin` told first; every customer it started stopped at the end."""
    told = Story(stack.client, print, lambda argv: stack.shepherd(*argv).returncode)
    with pytest.MonkeyPatch.context() as patch:
        use_stack_environment(stack, patch)  # as each test has it (a module's setup runs before theirs)
        try:
            begin(told)
            yield told
        finally:
            for customers in told.customers.values():
                customers.stop()
