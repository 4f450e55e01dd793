"""`GET /report/<group>` on the local stack's app port: the `shepherd report` page, live.

A route of the local stack only, beside the app's own (the Chalice app deploys one HTTP route, the Slack
one). Deployed, this page would put approvers' names and the release history behind an API Gateway URL:
it would need its own authentication and a read role, for what the CLI already gives anyone with
read access to the account. Locally it is a page to keep open while the story runs.
"""

from __future__ import annotations

import urllib.parse
from html import escape
from typing import Any

PREFIX = "/report/"


def with_report_route(handler_class: Any) -> Any:
    """The app's request handler, answering GET /report/<group> itself and everything else as before."""

    class ReportingHandler(handler_class):  # type: ignore[misc]
        def do_GET(self) -> None:
            if not self.path.startswith(PREFIX):
                super().do_GET()
                return
            group = urllib.parse.unquote(self.path[len(PREFIX) :].split("?", 1)[0]).strip("/")
            status, page = report_page(group)
            body = page.encode("utf-8")
            self.send_response(status)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(body)

    return ReportingHandler


def report_page(group: str) -> tuple[int, str]:
    """(HTTP status, HTML): 200 and the page, 404 for an unknown group, 503 when it cannot be read now."""
    from botocore.exceptions import BotoCoreError, ClientError

    from chalicelib.bootstrap import container
    from chalicelib.shared.errors import ModelPackageNotFoundError, ShepherdError
    from shepherd_cli.report.collect import collect
    from shepherd_cli.report.page import render_page

    try:
        return 200, render_page(collect(container(), group))
    except ModelPackageNotFoundError as error:
        return 404, _plain(f"no such group: {error}")
    except (ShepherdError, ClientError, BotoCoreError) as error:
        return 503, _plain(f"cannot read {group} now: {error}")


def _plain(text: str) -> str:
    return f'<!DOCTYPE html><html lang="en"><meta charset="utf-8"><title>report</title><p>{escape(text)}</p></html>'
