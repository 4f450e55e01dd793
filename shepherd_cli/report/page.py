"""The report page: one self-contained HTML document (inline CSS and SVG, no script, nothing fetched).

Pure: a GroupPicture in, HTML text out. Every string from outside (group names, approvers, reasons,
metric names) goes through html.escape.
"""

from __future__ import annotations

from datetime import datetime
from html import escape

from chalicelib.release.state import HistoryRow
from chalicelib.release.watch_words import watching_words
from chalicelib.shared.numbers import exact
from shepherd_cli.history_rows import approver, outcome_and_reason
from shepherd_cli.report.chart import metric_chart
from shepherd_cli.report.model import GroupPicture
from shepherd_cli.report.rollout import rollout_block, stage_strip
from shepherd_cli.report.style import CSS
from shepherd_cli.report.timeline import timeline

HISTORY_COLUMNS = ("version", "outcome", "served from", "served to", "approved by", "replaced", "reason")


def render_page(picture: GroupPicture) -> str:
    group = escape(picture.group)
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="en"><head><meta charset="utf-8"><title>{group}: model-shepherd report</title>'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<style>{CSS}</style></head><body>"
        f'<header><h1>{group}</h1><p class="facts">{_facts(picture)}</p></header>'
        f'<section id="in-flight"><h2>Release in flight</h2>{_in_flight(picture)}</section>'
        f'<section id="timeline"><h2>Production timeline</h2>{timeline(picture.history, picture.generated)}'
        f"{_history_table(picture)}</section>"
        f'<section id="metrics"><h2>Key metrics by version</h2>{_charts(picture)}</section>'
        f"<footer>generated {escape(picture.generated.strftime('%Y-%m-%d %H:%M:%S %Z'))} by shepherd report</footer>"
        "</body></html>\n"
    )


def _facts(picture: GroupPicture) -> str:
    if picture.policy_problem:
        policy = f'<span class="bad">INVALID: {escape(picture.policy_problem)}</span>'
    else:
        policy = escape(picture.policy or "none (not managed)")
    live = f"v{picture.live_version}" if picture.live_version else "none"
    watched = f", {watching_words(picture.watched_until)}" if picture.watched_until else ""
    return (
        f"policy: {policy} &middot; LIVE: <strong>{escape(live)}</strong>{escape(watched)} &middot; "
        f"{len(picture.versions)} versions"
    )


def _in_flight(picture: GroupPicture) -> str:
    flight = picture.in_flight
    queued = f"<p>Queued: v{picture.queued}, next once this release ends.</p>" if picture.queued else ""
    rollout = rollout_block(picture.rollout)
    if flight is None:
        return '<p class="empty">Nothing in flight.</p>' + queued + rollout
    where = f"<p>v{flight.version} is at <strong>{escape(flight.stage)}</strong></p>"
    return where + stage_strip(flight) + rollout + queued


def _history_table(picture: GroupPicture) -> str:
    if not picture.history:
        return ""
    rows = "".join(_history_row(row) for row in picture.history)
    head = "".join(f"<th>{name}</th>" for name in HISTORY_COLUMNS)
    return f'<table class="history"><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>'


def _history_row(row: HistoryRow) -> str:
    outcome, reason = outcome_and_reason(row)
    return (
        "<tr>"
        f'<td>v{row.version}</td><td class="outcome {escape(row.outcome.lower())}">{escape(outcome)}</td>'
        f"<td>{_when(row.served_from)}</td><td>{_until(row)}</td><td>{escape(approver(row))}</td>"
        f"<td>{f'v{row.replaced}' if row.replaced else ''}</td><td>{escape(reason)}</td>"
        "</tr>"
    )


def _charts(picture: GroupPicture) -> str:
    # Versions registered without metrics (nothing to draw) would only spread the others apart.
    measured = [v for v in picture.versions if any(metric in v.metrics for metric in picture.key_metrics)]
    if not measured:
        return '<p class="empty">No version has metrics yet.</p>'
    charts = "".join(
        f'<figure class="metric"><figcaption>{escape(metric)}</figcaption>'
        f"{metric_chart(metric, measured, picture.bars_for(metric))}{_values(picture, metric)}</figure>"
        for metric in picture.key_metrics
    )
    legend = (
        '<p class="legend"><span class="dot approved"></span>Approved <span class="dot rejected"></span>Rejected '
        '<span class="dot pending"></span>in review &middot; '
        "dashed: the policy's floor (red) and approval bar (green)</p>"
    )
    return legend + f'<div class="charts">{charts}</div>'


def _values(picture: GroupPicture, metric: str) -> str:
    cells = "".join(
        f"<li>v{v.version}: {escape(exact(v.metrics[metric]))}</li>" for v in picture.versions if metric in v.metrics
    )
    return f'<ul class="values">{cells}</ul>'


def _when(moment: datetime | None) -> str:
    return escape(moment.strftime("%Y-%m-%d %H:%M:%S")) if moment else ""


def _until(row: HistoryRow) -> str:
    if row.served_from is None:
        return ""  # never served
    return _when(row.served_to) if row.served_to else "now"
