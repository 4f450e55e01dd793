"""`shepherd report` and the local stack's /report/<group> against moto, after real releases."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from devstack.report_route import report_page
from shepherd_cli import exit_codes
from shepherd_cli.main import main
from tests.integration.test_cli_output import two_live  # noqa: F401 - the fixture: v1 then v2 went live
from tests.support import release as r


def test_report_writes_one_page_with_the_history_and_the_release_in_flight(
    two_live: r.Clock,  # noqa: F811
    tmp_path: Path,
    capsys: Any,
) -> None:
    r.decided(r.register_approved("v3"), "Approved")  # staging is being created for v3
    page = tmp_path / "out" / "report.html"
    assert main(["report", r.GROUP, "--html", str(page)]) == exit_codes.OK
    assert f"report written to {page}" in capsys.readouterr().out
    html = page.read_text()
    assert html.startswith("<!DOCTYPE html>") and '<svg class="timeline"' in html
    assert "No version has metrics yet." in html  # these versions were registered without a metrics document
    assert "LIVE: <strong>v2</strong>" in html
    assert "v3 is at <strong>STAGING</strong>" in html
    assert html.count('<rect class="served') == 2  # v1 served, then v2


def test_report_of_an_unknown_group_is_not_found(two_live: r.Clock, tmp_path: Path) -> None:  # noqa: F811
    assert main(["report", "no-such-models", "--html", str(tmp_path / "r.html")]) == exit_codes.NOT_FOUND
    assert not (tmp_path / "r.html").exists()


def test_the_local_route_serves_the_same_page(two_live: r.Clock) -> None:  # noqa: F811
    status, html = report_page(r.GROUP)
    assert status == 200 and "LIVE: <strong>v2</strong>" in html
    assert report_page("no-such-models")[0] == 404


@pytest.mark.parametrize("group", ["bad group(", "x" * 64, "-leading-hyphen", "a" * 10_000])
def test_a_name_sagemaker_refuses_is_not_found_and_never_asked(two_live: r.Clock, group: str) -> None:  # noqa: F811
    """The route's path (or the CLI's argument) is anyone's: a request AWS would refuse is not sent at all (the
    strict world fails the test for any refusal, swallowed or not)."""
    status, page = report_page(group)
    assert status == 404 and "not a SageMaker group name" in page


def test_report_to_a_place_it_cannot_write_says_so_without_a_traceback(
    two_live: r.Clock,  # noqa: F811
    tmp_path: Path,
    capsys: Any,
) -> None:
    assert main(["report", r.GROUP, "--html", str(tmp_path)]) == exit_codes.FAILED  # a directory
    err = capsys.readouterr().err
    assert f"shepherd: cannot write the report to {tmp_path}: Is a directory" in err
    assert "Traceback" not in err
