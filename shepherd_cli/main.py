"""`shepherd`: the operator CLI. Same commands against AWS or the local stack (AWS_ENDPOINT_URL).

Each command lives in shepherd_cli/commands/<name>.py and exposes ``register(subparsers)``; the
parser it adds sets ``handler`` to a function ``(args) -> int`` (the exit code).
"""

from __future__ import annotations

import argparse
import importlib
import logging
import os
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from botocore.exceptions import ClientError, EndpointConnectionError, NoCredentialsError, NoRegionError

from chalicelib.shared.errors import ConfigurationError, ModelPackageNotFoundError, PolicyNotFoundError, ShepherdError
from shepherd_cli import exit_codes

COMMAND_MODULES = [
    "shepherd_cli.commands.policy",
    "shepherd_cli.commands.replay",
    "shepherd_cli.commands.status",
    "shepherd_cli.commands.compare",
    "shepherd_cli.commands.evaluate",
    "shepherd_cli.commands.decide",
    "shepherd_cli.commands.history",
    "shepherd_cli.commands.rollback",
    "shepherd_cli.commands.retry",
    "shepherd_cli.commands.promote",
    "shepherd_cli.commands.stop",
    "shepherd_cli.commands.regate",
    "shepherd_cli.commands.slack",
    "shepherd_cli.commands.cleanup",
    "shepherd_cli.commands.doctor",
]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="shepherd", description="Operate model-shepherd.")
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)  # argparse exits 2 on bad arguments
    with _logs_on_stderr():
        return _run(args)


def _run(args: argparse.Namespace) -> int:
    try:
        code: int = args.handler(args)
        return code
    except (ModelPackageNotFoundError, PolicyNotFoundError) as error:
        print(f"shepherd: {error}", file=sys.stderr)
        return exit_codes.NOT_FOUND
    except ConfigurationError as error:
        print(f"shepherd: configuration: {error}", file=sys.stderr)
        return exit_codes.ENVIRONMENT
    except ShepherdError as error:
        print(f"shepherd: {error}", file=sys.stderr)
        return exit_codes.FAILED
    except (NoCredentialsError, EndpointConnectionError, NoRegionError) as error:
        print(f"shepherd: cannot reach AWS: {error}", file=sys.stderr)
        return exit_codes.ENVIRONMENT
    except ClientError as error:
        print(f"shepherd: AWS refused: {error}", file=sys.stderr)
        return exit_codes.FAILED


class _Stderr:
    """Whatever sys.stderr is when a line is written (a test's capture, a redirected terminal)."""

    def write(self, text: str) -> int:
        return sys.stderr.write(text)

    def flush(self) -> None:
        sys.stderr.flush()


@contextmanager
def _logs_on_stderr() -> Iterator[None]:
    """The app's structured logs are for Lambda's log stream: from the CLI they go to stderr, so stdout holds
    only the command's answer (`--json` output a script can parse). Metrics are not printed at all."""
    from chalicelib.shared.observability import logger

    handler = logger.registered_handler
    if not isinstance(handler, logging.StreamHandler):
        yield
        return
    previous = handler.setStream(_Stderr())
    metrics_were = os.environ.get("POWERTOOLS_METRICS_DISABLED")
    os.environ["POWERTOOLS_METRICS_DISABLED"] = "true"
    try:
        yield
    finally:
        if previous is not None:
            handler.setStream(previous)
        if metrics_were is None:
            os.environ.pop("POWERTOOLS_METRICS_DISABLED", None)
        else:
            os.environ["POWERTOOLS_METRICS_DISABLED"] = metrics_were


if __name__ == "__main__":
    sys.exit(main())
