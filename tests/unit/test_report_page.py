"""The report page, pure: a picture in, one self-contained HTML document out, every outside string escaped."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser

from chalicelib.release.state import HistoryRow
from shepherd_cli.report.chart import metric_chart
from shepherd_cli.report.model import Bar, GroupPicture, InFlight, VersionPoint
from shepherd_cli.report.page import render_page
from shepherd_cli.report.timeline import timeline

NOW = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)
HOSTILE = '<script>alert("x")</script>&'
ARN = "arn:aws:sagemaker:us-east-1:123456789012:model-package/g/"


def row(version: int, outcome: str, hours_ago: float | None, until: float | None, **extra: str) -> HistoryRow:
    started = NOW - timedelta(hours=hours_ago) if hours_ago is not None else None
    ended = NOW - timedelta(hours=until) if until is not None else None
    return HistoryRow(
        f"k{version}{outcome}",
        version,
        ARN + str(version),
        extra.get("by", "model-shepherd gate"),
        outcome,
        extra.get("reason", ""),
        started,
        ended,
        int(extra["replaced"]) if "replaced" in extra else None,
    )


def picture(**changes: object) -> GroupPicture:
    values: dict[str, object] = {
        "group": "fraud-detection-models",
        "generated": NOW,
        "policy": "fraud-detection-models@0123456789ab",
        "policy_problem": None,
        "live_version": 2,
        "in_flight": InFlight(3, "SMOKE_TESTING"),
        "versions": (
            VersionPoint(1, NOW, "Approved", "approve", "rollback target", {"auc": 0.95, "latency_p99_ms": 42}),
            VersionPoint(2, NOW, "Approved", "review", "LIVE", {"auc": 0.952, "latency_p99_ms": 61}),
            VersionPoint(3, NOW, "Approved", "approve", "SMOKE_TESTING", {"auc": 0.97}),
            VersionPoint(4, NOW, "Rejected", "reject", "", {"auc": 0.72, "latency_p99_ms": 40}),
        ),
        "history": (row(2, "LIVE", 2, None, by="slack:U024BE7LH"), row(1, "SUPERSEDED", 5, 2)),
        "key_metrics": ("auc", "latency_p99_ms"),
        "bars": (Bar("auc", "floor", ">=", 0.8), Bar("auc", "bar", ">=", 0.9), Bar("latency_p99_ms", "bar", "<=", 250)),
    }
    return GroupPicture(**{**values, **changes})  # type: ignore[arg-type]


class Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parsed(html: str) -> Tags:
    tags = Tags()
    tags.feed(html)
    return tags


def words(html: str) -> str:
    return " ".join(" ".join(parsed(html).text).split())


def test_the_page_is_self_contained_no_script_nothing_fetched() -> None:
    html = render_page(picture())
    tags = parsed(html)
    assert "script" not in tags.tags and "link" not in tags.tags and "img" not in tags.tags
    assert not re.search(r"""(src|href)\s*=|url\(|@import""", html)
    assert tags.tags.count("svg") == 3  # the timeline and one chart per key metric


def test_the_page_shows_the_timeline_the_approvers_and_the_stage_in_flight() -> None:
    text = words(render_page(picture()))
    assert "LIVE: v2" in text
    assert "slack:U024BE7LH" in text and "SUPERSEDED" in text
    assert "v3 is at SMOKE_TESTING" in text
    assert "floor >= 0.8" in text and "bar >= 0.9" in text and "bar <= 250" in text
    assert "v2: 0.952" in text


def test_every_outside_string_is_escaped() -> None:
    hostile = picture(
        group=HOSTILE,
        policy_problem=HOSTILE,
        history=(row(2, "LIVE", 2, None, by=HOSTILE, reason=HOSTILE),),
        key_metrics=(HOSTILE,),
        versions=(VersionPoint(1, NOW, "Approved", "approve", "LIVE", {HOSTILE: 1.0}),),
        bars=(Bar(HOSTILE, "floor", ">=", 0.5),),
    )
    html = render_page(hostile)
    assert "<script" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;" in html
    assert "script" not in parsed(html).tags


def test_a_group_never_released_with_nothing_in_flight_says_so() -> None:
    text = words(render_page(picture(history=(), in_flight=None, live_version=None)))
    assert "Nothing in flight." in text and "Nothing has served production yet." in text and "LIVE: none" in text


def test_an_invalid_policy_is_shown_as_invalid() -> None:
    text = words(render_page(picture(policy=None, policy_problem="floors: bad")))
    assert "INVALID: floors: bad" in text


def test_the_chart_puts_the_floor_below_the_bar_for_a_higher_is_better_metric() -> None:
    svg = metric_chart("auc", picture().versions, picture().bars_for("auc"))
    rows = {stage: float(row) for stage, row in re.findall(r'<g class="limit (\w+)"><line x1="\d+" y1="([\d.]+)"', svg)}
    assert rows["floor"] > rows["bar"]  # SVG rows grow downwards: 0.8 is drawn lower than 0.9
    assert svg.count("<circle") == 4


def test_the_timeline_draws_served_releases_newest_on_top() -> None:
    svg = timeline(picture().history, NOW)
    lanes = re.findall(r'class="lane-label">v(\d+)<', svg)
    assert lanes == ["2", "1"]
    assert "approved by slack:U024BE7LH" in svg


def test_a_live_version_in_its_watch_window_is_watched_not_in_flight_and_the_queued_one_shows() -> None:
    watched = picture(in_flight=None, live_version=3, watched_until=NOW + timedelta(minutes=40), queued=4)
    text = words(render_page(watched))
    assert "LIVE: v3" in text and "watched until 2026-12-02 09:40 UTC" in text
    assert "Nothing in flight." in text and "Queued: v4" in text and "WATCHING" not in text
