"""`make local`: the local stack in the foreground until Ctrl-C.

    python -m devstack.server [--aws-port 5000] [--app-port 8000] [--endpoint-seconds 2] [--clock-speed 1]
        [--app-clock-speed 1]

Prints the endpoints and the environment to export only once everything answers, then one line per
handler invocation (the reconciler's idle ticks only with --verbose). A taken port, a missing dependency
or a part that stops: a message on stderr, exit status 1, nothing left running.
"""

from __future__ import annotations

import argparse
import math
import os
import signal
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from devstack.environment import aws_environment
from devstack.errors import StackError
from devstack.relay.invoker import Invocation, Observer
from devstack.stack import Ready, Stack, StackConfig
from shepherd_cli import local_stack

READY_MARKER = "model-shepherd local stack is ready"


def parse_args(argv: Sequence[str] | None) -> StackConfig:
    return config_from(arguments(argv))


def arguments(argv: Sequence[str] | None) -> argparse.Namespace:
    env = os.environ
    parser = argparse.ArgumentParser(prog="python -m devstack.server", description="Run the local stack.")
    parser.add_argument("--host", default="127.0.0.1", help="loopback address to serve on")
    parser.add_argument("--aws-port", type=int, default=int(env.get("SHEPHERD_LOCAL_AWS_PORT", "5000")))
    parser.add_argument("--app-port", type=int, default=int(env.get("SHEPHERD_LOCAL_APP_PORT", "8000")))
    parser.add_argument("--endpoint-seconds", type=float, default=2.0, help="Creating -> InService delay")
    parser.add_argument("--bake-seconds", type=float, default=3.0, help="blue/green bake before alarms are read")
    parser.add_argument(
        "--clock-speed",
        type=float,
        default=float(env.get("SHEPHERD_LOCAL_CLOCK_SPEED", "1")),
        help="schedules fire this many times faster than their rate",
    )
    parser.add_argument(
        "--app-clock-speed",
        type=float,
        default=float(env.get("SHEPHERD_LOCAL_APP_CLOCK_SPEED", "1")),
        help="the app's clock and its metrics' timestamps run this many times faster than real time "
        "(60: a minute of metrics in a second)",
    )
    parser.add_argument(
        "--endpoint-response",
        action="append",
        default=[],
        metavar="NAME=BODY",
        help="what endpoint NAME answers to InvokeEndpoint instead of its model (repeatable), e.g. "
        "fraud-detection-staging='{\"predictions\": [0.02]}'",
    )
    parser.add_argument(
        "--canary-calls",
        type=int,
        default=0,
        metavar="N",
        help="a blue/green bake also lasts until the endpoint has served N calls (at most 30 s more)",
    )
    parser.add_argument("--policy-dir", default=env.get("SHEPHERD_POLICY_DIR"), help="policies the app reads")
    parser.add_argument(
        "--env-file",
        default=str(local_stack.env_file()),
        help="where to write the environment for the CLI's local option ('' for nowhere)",
    )
    parser.add_argument("--slack-port", type=int, default=0, help="the fake Slack's port (default: any free one)")
    parser.add_argument("--verbose", action="store_true", help="also the app's JSON logs and HTTP requests")
    args = parser.parse_args(argv)
    if args.clock_speed <= 0:
        parser.error("--clock-speed must be positive")
    if not 0 < args.app_clock_speed < math.inf:
        parser.error("--app-clock-speed must be a positive number")
    if args.canary_calls < 0:
        parser.error("--canary-calls must not be negative")
    if bad := [item for item in args.endpoint_response if "=" not in item or not item.split("=", 1)[0]]:
        parser.error(f"--endpoint-response takes NAME=BODY, not {bad[0]!r}")
    if args.policy_dir and not Path(args.policy_dir).is_dir():
        parser.error(f"--policy-dir {args.policy_dir} is not a directory")
    return args


def config_from(args: argparse.Namespace) -> StackConfig:
    return StackConfig(
        host=args.host,
        aws_port=args.aws_port,
        app_port=args.app_port,
        creating_seconds=args.endpoint_seconds,
        updating_seconds=args.endpoint_seconds,
        bake_seconds=args.bake_seconds,
        clock_speed=args.clock_speed,
        app_clock_speed=args.app_clock_speed,
        verbose=args.verbose,
        endpoint_responses=dict(item.split("=", 1) for item in args.endpoint_response),
        policy_dir=args.policy_dir,
        slack_port=args.slack_port,
    )


def serve_models(canary_calls: int = 0) -> None:
    """Endpoints run the model in their artifact; a bake waits for its canary's calls (0: it does not)."""
    from devstack.moto_ext import endpoint_lifecycle, model_serving

    model_serving.enable()
    endpoint_lifecycle.configure(bake_invocations=canary_calls)


# what a person can call on the app port: the app's Slack routes and the stack's own report page
APP_ROUTES = "POST /slack/actions, POST /slack/commands; GET /report/<group>"


def announce(ready: Ready, env_file: str = "") -> None:
    print(f"{READY_MARKER}.")
    print(f"  AWS APIs (moto)   {ready.aws_url}")
    print(f"  app routes        {ready.app_url}   ({APP_ROUTES})")
    print(f"  event handlers    {', '.join(ready.handlers) or 'none'}")
    print(f"  SNS inbox (SQS)   {ready.resources.inbox_queue_url}")
    if slack := ready.environment.get("SHEPHERD_SLACK_API_URL"):
        print(f"  fake Slack        {slack}   (shepherd slack messages | shepherd slack click ...)")
    print("Point boto3, the SageMaker SDK, the AWS CLI or `shepherd` at it:")
    for name, value in sorted(ready.environment.items()):
        print(f"  export {name}={value}")
    if env_file:
        local_stack.write({**ready.environment, **aws_environment(ready.aws_url)}, Path(env_file))
        print(f"or let `shepherd --local` read them from {env_file} (removed when the stack stops).")
    print("Ctrl-C stops everything.", flush=True)


def timeline_printer(verbose: bool) -> Observer:
    """One line per invocation on the terminal; the reconciler's idle ticks only with --verbose."""
    from devstack.timeline import idle, line

    def show(invocation: Invocation) -> None:
        if verbose or not idle(invocation):
            print(line(invocation), flush=True)

    return show


def run(config: StackConfig, poll_seconds: float = 0.5, env_file: str = "") -> int:
    stack = Stack(config, observers=[timeline_printer(config.verbose)])
    try:
        announce(stack.start(), env_file)
        while True:
            time.sleep(poll_seconds)
            stack.check()
    except KeyboardInterrupt:
        print("stopping the local stack", flush=True)
        return 0
    except StackError as error:
        print(f"local stack: {error}", file=sys.stderr, flush=True)
        return 1
    except Exception as error:  # noqa: BLE001 - any other failure (app.py does not import...) ends it all too
        print(f"local stack: crashed: {type(error).__name__}: {error}", file=sys.stderr, flush=True)
        return 1
    finally:
        if env_file:
            local_stack.remove(Path(env_file))
        stack.stop()


def _interrupt(signum: int, frame: Any) -> None:
    raise KeyboardInterrupt


def main(argv: Sequence[str] | None = None) -> int:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # app.py, from any working directory
    # Ctrl-C and a polite kill both stop everything. SIGINT is set explicitly: a process started by one
    # that ignores it (a pytest-xdist worker, nohup) inherits SIG_IGN, and Python then leaves it ignored.
    signal.signal(signal.SIGINT, _interrupt)
    signal.signal(signal.SIGTERM, _interrupt)
    args = arguments(argv)
    serve_models(canary_calls=args.canary_calls)
    return run(config_from(args), env_file=args.env_file)


if __name__ == "__main__":
    sys.exit(main())
