"""The local stack as one object: AWS (moto) on one port, the app's routes on another, the relay between.

Start order: both ports bound first (a taken port fails before anything runs), then moto, the
resources, the relay and the app. `start()` returns only once every part answers; any failure on
the way stops what had started. The process holds everything (threads): when it ends, nothing is
left running.
"""

from __future__ import annotations

import contextlib
import importlib
import importlib.util
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from devstack.environment import aws_client_factory, aws_environment, quiet_the_app, wait_until_answering
from devstack.errors import MissingDependencyError, PartCrashedError
from devstack.relay.invoker import Observer
from devstack.resources import ACCOUNT, REGION, LocalResources
from shepherd_cli.local_clock import LocalClock, started_now

# Parts other capabilities add (a fake Slack): a module exposing local_stack_part(config) -> Part.
OPTIONAL_PARTS = ("devstack.slack_local",)
REQUIRED_MODULES = ("moto", "flask", "flask_cors", "werkzeug", "chalice", "boto3", "regex")


class Part(Protocol):
    name: str

    def start(self) -> None: ...

    def stop(self) -> None: ...

    def alive(self) -> bool: ...


@dataclass(frozen=True)
class StackConfig:
    host: str = "127.0.0.1"
    aws_port: int = 5000
    app_port: int = 8000
    creating_seconds: float = 2.0  # an endpoint's Creating -> InService
    updating_seconds: float = 2.0  # UpdateEndpoint's new fleet coming up
    bake_seconds: float = 3.0  # blue/green bake before the auto-rollback alarms are checked
    clock_speed: float = 1.0  # schedules fire this many times faster than their rate
    # The app's clock and its endpoints' metric timestamps, this many times faster than real time (60: a
    # minute of metrics, a release step's minute, in a second); moto's own timings stay in real seconds.
    app_clock_speed: float = 1.0
    ready_timeout: float = 20.0
    verbose: bool = False  # the app's own JSON logs and every HTTP request, as well as the timeline
    # What each endpoint answers (InvokeEndpoint), by endpoint name, before it even exists.
    endpoint_responses: Mapping[str, str] = field(default_factory=dict)
    policy_dir: str | None = None  # SHEPHERD_POLICY_DIR for the app and the exported environment
    slack_port: int = 0  # the fake Slack's port; 0: any free one (it is exported as SHEPHERD_SLACK_API_URL)
    duplicate_events: bool = False  # the relay delivers every event twice (EventBridge is at-least-once)


@dataclass(frozen=True)
class Ready:
    aws_url: str
    app_url: str
    environment: dict[str, str]
    resources: LocalResources
    handlers: list[str] = field(default_factory=list)


class Stack:
    def __init__(self, config: StackConfig, observers: Sequence[Observer] = ()) -> None:
        if config.app_clock_speed <= 0:
            raise ValueError("the app clock speed must be positive")
        self.config = config
        self.clock: LocalClock | None = None  # made when the stack starts: its origin is that moment
        self._observers = list(observers)
        self._parts: list[Any] = []

    def start(self) -> Ready:
        try:
            return self._start()
        except BaseException:
            self.stop()
            raise

    def stop(self) -> None:
        while self._parts:
            part = self._parts.pop()
            with contextlib.suppress(Exception):  # stopping the rest matters more than one part's complaint
                part.stop()
        from devstack.moto_ext import endpoint_lifecycle, endpoint_metrics

        endpoint_lifecycle.reset()  # the stack's endpoint timings end with it
        endpoint_metrics.clock = None  # and so does its clock

    def check(self) -> None:
        """Raise PartCrashedError when a part has stopped on its own."""
        dead = [part.name for part in self._parts if not part.alive()]
        if dead:
            raise PartCrashedError(f"part of the local stack stopped unexpectedly: {', '.join(dead)}")

    def _start(self) -> Ready:
        check_dependencies()
        if not self.config.verbose:  # before the app is imported: Powertools reads these then
            quiet_the_app()
        from app import app
        from devstack import servers
        from devstack.aws_validation import client

        client.install()  # the app's and the relay's clients refuse what AWS would, before sending it

        config, aws_url = self.config, f"http://{self.config.host}:{self.config.aws_port}"
        aws, http = servers.moto_server(config.host, config.aws_port), None
        self._parts.append(aws)
        http = servers.app_server(app, config.host, config.app_port, log_requests=config.verbose)
        self._parts.append(http)
        self._configure_moto()
        aws.start()
        environment = aws_environment(aws_url)
        if self.clock is not None:
            environment.update(self.clock.exported())  # `shepherd` and scripts on the stack's time axis
        if config.policy_dir:
            environment["SHEPHERD_POLICY_DIR"] = str(Path(config.policy_dir).resolve())
        os.environ.update(environment)  # the app's clients, built lazily, read these
        resources = self._resources(aws_url)
        environment.update(resources.environment())
        self._target_accounts(aws_url, environment)
        for part in optional_parts(config):
            self._parts.insert(-1, part)  # before the app's routes: stopped after the relay, which may post to it
            part.start()
            environment.update(part.environment())
        os.environ.update(environment)
        self._roles(aws_url, environment)  # a real account has them and the policies' alarms: doctor checks them
        relay = self._relay(app, aws_url)
        environment["SHEPHERD_DLQ_URL"] = relay.wired.dead_letter_queue  # for `shepherd replay`, not the app
        relay.start()
        # Stopped right after the app's routes, before the optional parts and AWS: no event half-handled.
        self._parts.insert(len(self._parts) - 1, relay)
        http.start()
        app_url = f"http://{config.host}:{config.app_port}"
        wait_until_answering(aws_url, app_url, self.config.ready_timeout)
        return Ready(aws_url, app_url, environment, resources, sorted(relay.wired.queues))

    def _configure_moto(self) -> None:
        from devstack.moto_ext import endpoint_lifecycle, endpoint_metrics, endpoint_runtime, forget_everything, install

        install()
        forget_everything()
        endpoint_lifecycle.configure(
            creating_seconds=self.config.creating_seconds,
            updating_seconds=self.config.updating_seconds,
            bake_seconds=self.config.bake_seconds,
        )
        for name, body in self.config.endpoint_responses.items():
            endpoint_runtime.configure(name, response=body)
        if self.config.app_clock_speed != 1:
            self.clock = started_now(self.config.app_clock_speed)
            endpoint_metrics.clock = self.clock.now  # after forget_everything, which resets it

    def _resources(self, aws_url: str) -> LocalResources:
        from devstack.resources import create_resources

        return create_resources(aws_client_factory(aws_url))

    def _target_accounts(self, aws_url: str, environment: dict[str, str]) -> None:
        """Stages the policies place in other moto accounts: their events forwarded here, as the template does."""
        from chalicelib.shared.settings import policy_dir
        from devstack.target_accounts import forward_events_home, stage_places

        forward_events_home(stage_places(policy_dir(environment)), ACCOUNT, REGION, aws_url)

    def _roles(self, aws_url: str, environment: dict[str, str]) -> None:
        from devstack.function_roles import create_roles
        from devstack.policy_alarms import create_policy_alarms

        create_roles(aws_client_factory(aws_url), environment)  # after Slack's settings: its secret is in the policy
        create_policy_alarms(aws_client_factory(aws_url), environment)

    def _relay(self, app: Any, aws_url: str) -> Any:
        from chalicelib.bootstrap import Container, use_container
        from chalicelib.shared.settings import load_settings
        from devstack.relay.invoker import LambdaInvoker
        from devstack.relay.relay import Relay

        container = Container(settings=load_settings(), clock=self.clock.now if self.clock else None)
        invoker = LambdaInvoker(app, prepare=lambda: use_container(container), observers=self._observers)
        relay = Relay(
            app,
            aws_client_factory(aws_url),
            invoker,
            speed=self.config.clock_speed,
            duplicate=self.config.duplicate_events,
        )
        return relay


def check_dependencies() -> None:
    for module in REQUIRED_MODULES:
        if importlib.util.find_spec(module) is None:
            raise MissingDependencyError(
                f"the Python package {module!r} is missing: run `make install` "
                f"(the local stack needs moto[server] and the pinned dev requirements)"
            )


def optional_parts(config: StackConfig) -> list[Any]:
    parts = []
    for name in OPTIONAL_PARTS:
        if importlib.util.find_spec(name) is not None:
            factory = getattr(importlib.import_module(name), "local_stack_part", None)
            if factory is not None:
                parts.append(factory(config))
    return parts
