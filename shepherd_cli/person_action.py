"""What the commands by which a person acts share (promote, stop, retry, regate, rollback): `--reason`, `--by`
and `--json`, who the history records, and one way to answer: the result, or a refusal that changed nothing."""

from __future__ import annotations

import argparse
import getpass
from collections.abc import Callable
from typing import Any, Protocol, TypeVar

from chalicelib.slack.modal import MAX_REASON
from shepherd_cli import exit_codes, output
from shepherd_cli.context import non_empty, reason


class Answer(Protocol):
    def as_dict(self) -> dict[str, Any]: ...


R = TypeVar("R", bound=Answer)


def add_person_options(parser: argparse.ArgumentParser, who: str, kept: str = "in the history") -> None:
    """`who`: the help's "who <does it>", e.g. "who promotes"."""
    why = f"why, at most {MAX_REASON} characters (kept {kept})"
    parser.add_argument("--reason", type=reason, required=True, help=why)
    parser.add_argument("--by", type=non_empty, default=None, help=f"{who} (default: your user name)")
    parser.add_argument("--json", action="store_true", help="machine-readable output")


def cli_actor(args: argparse.Namespace) -> str:
    return f"{args.by or getpass.getuser()} (shepherd CLI)"


def answer(
    args: argparse.Namespace,
    act: Callable[[], R],
    refused: type[Exception] | tuple[type[Exception], ...],
    not_done: str,
    done: Callable[[R], str],
) -> int:
    """Run `act`; a refusal exits 1 with "`not_done`: why" (nothing changed), else the result or `done(result)`."""
    try:
        result = act()
    except refused as error:
        output.error(f"{not_done}: {error}")
        return exit_codes.FAILED
    if args.json:
        output.emit_json(result.as_dict())
    else:
        print(done(result))
    return exit_codes.OK
