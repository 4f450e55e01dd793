"""`shepherd`: the operator CLI. Same commands against AWS or the local stack (AWS_ENDPOINT_URL).

Each command lives in shepherd_cli/commands/<name>.py and exposes ``register(subparsers)``; the
parser it adds sets ``handler`` to a function ``(args) -> int`` (the exit code).
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence
from typing import NoReturn

from botocore.exceptions import (
    ClientError,
    ConnectTimeoutError,
    EndpointConnectionError,
    NoCredentialsError,
    NoRegionError,
)

from chalicelib.shared.errors import ConfigurationError, ModelPackageNotFoundError, PolicyNotFoundError, ShepherdError
from shepherd_cli import exit_codes, local_stack, output
from shepherd_cli.logs import quiet_logs

COMMAND_MODULES = [
    "shepherd_cli.commands.policy",
    "shepherd_cli.commands.replay",
    "shepherd_cli.commands.status",
    "shepherd_cli.commands.compare",
    "shepherd_cli.commands.evaluate",
    "shepherd_cli.commands.decide",
    "shepherd_cli.commands.history",
    "shepherd_cli.commands.report",
    "shepherd_cli.commands.rollback",
    "shepherd_cli.commands.retry",
    "shepherd_cli.commands.promote",
    "shepherd_cli.commands.stop",
    "shepherd_cli.commands.continue_paused",
    "shepherd_cli.commands.regate",
    "shepherd_cli.commands.slack",
    "shepherd_cli.commands.cleanup",
    "shepherd_cli.commands.doctor",
]


class _Parser(argparse.ArgumentParser):
    """argparse, keeping its refusal so that a `--json` run still prints it as the one JSON document."""

    refusal = ""

    def error(self, message: str) -> NoReturn:
        _Parser.refusal = f"{self.prog}: error: {message}"
        super().error(message)  # usage and message on stderr, exit 2; the subparsers are _Parsers too


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="shepherd", description="Operate model-shepherd.")
    parser.add_argument("--verbose", action="store_true", help="the app's log lines, on stderr")
    parser.add_argument(
        "--local", action="store_true", help="use the local stack `make local` is running (its environment file)"
    )
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        args = build_parser().parse_args(argv)  # argparse exits 2 on bad arguments
    except SystemExit as stop:
        if stop.code == exit_codes.USAGE and "--json" in argv:  # scripts parse stdout whatever happens
            output.start(json_mode=True)
            output.finish(exit_codes.USAGE, refusal=_Parser.refusal)
        raise
    output.start(json_mode=getattr(args, "json", False))
    with quiet_logs(verbose=args.verbose):
        code = _run(args)
    output.finish(code)
    return code


def _run(args: argparse.Namespace) -> int:
    try:
        local_stack.apply(os.environ, required=args.local)
    except local_stack.LocalStackNotFoundError as error:
        print(f"shepherd: {error}", file=sys.stderr)
        return exit_codes.ENVIRONMENT
    try:
        code: int = args.handler(args)
        return code
    except SystemExit as stop:  # a command that cannot go on says why, then exits with its code
        return stop.code if isinstance(stop.code, int) else exit_codes.FAILED
    except (ModelPackageNotFoundError, PolicyNotFoundError) as error:
        output.error(str(error))
        return exit_codes.NOT_FOUND
    except ConfigurationError as error:
        output.error(f"configuration: {error}")
        return exit_codes.ENVIRONMENT
    except ShepherdError as error:
        output.error(str(error))
        return exit_codes.FAILED
    except (NoCredentialsError, EndpointConnectionError, ConnectTimeoutError, NoRegionError) as error:
        output.error(f"cannot reach AWS: {error}")
        return exit_codes.ENVIRONMENT
    except ClientError as error:
        output.error(f"AWS refused: {error}")
        return exit_codes.FAILED


def console() -> None:
    """The `shepherd` script: main(), and quiet when the reader stops reading (`shepherd history G | head`)."""
    try:
        code = main()
        sys.stdout.flush()
    except BrokenPipeError:
        # Python would print a traceback, then fail again flushing stdout at exit: point stdout at nothing.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        code = exit_codes.PIPE_CLOSED
    sys.exit(code)


if __name__ == "__main__":
    console()
