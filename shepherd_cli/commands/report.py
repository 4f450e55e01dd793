"""`shepherd report GROUP --html FILE`: one self-contained page of the group's life, to open anywhere.

Which version served production when (who approved it, how it ended), each version's key metrics against
the policy's floors and bar, and the release in flight with its stage. The local stack serves the same
page live at /report/GROUP.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from shepherd_cli import exit_codes, output
from shepherd_cli.context import make_container
from shepherd_cli.report.collect import collect
from shepherd_cli.report.page import render_page


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("report", help="a self-contained HTML page of a group's life")
    parser.add_argument("group")
    parser.add_argument(
        "--html", type=Path, required=True, metavar="FILE", help="where to write the page (- for stdout)"
    )
    parser.set_defaults(handler=write_report)


def write_report(args: argparse.Namespace) -> int:
    page = render_page(collect(make_container(), args.group))
    if str(args.html) == "-":
        sys.stdout.write(page)
        return exit_codes.OK
    try:
        args.html.parent.mkdir(parents=True, exist_ok=True)
        args.html.write_text(page, encoding="utf-8")
    except OSError as error:  # a directory, a read-only place: say so, not a traceback
        output.error(f"cannot write the report to {args.html}: {error.strerror or error}")
        return exit_codes.FAILED
    print(f"{args.group}: report written to {args.html}")
    return exit_codes.OK
