"""What /shepherd answers, in Block Kit, seen by the caller alone (`response_type: ephemeral`).

Group names, reasons and whatever the caller typed are escaped where they are put into the answer's mrkdwn."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from chalicelib.gate.messages import console_url
from chalicelib.release.rollout_view import rollout_view
from chalicelib.release.state import GroupState, HistoryRow, Release, Stage
from chalicelib.release.watch_words import watched_until, watching_words
from chalicelib.shared.slack_text import clip, escape, link, section

HELP = (
    "*/shepherd* answers you alone:\n"
    "• `/shepherd status GROUP`: what serves production, the release in flight, versions waiting for people\n"
    "• `/shepherd history GROUP`: the group's latest release history\n"
    "• `/shepherd pending`: versions waiting for people (review, promotion) in the groups you may see\n"
    "• `/shepherd help`: this"
)
SHOWN = 20  # lines per answer: Slack caps a section's text at 3,000 characters


@dataclass(frozen=True)
class Waiting:
    """A version waiting for people: a review (Approve / Reject) or a release awaiting promotion."""

    group: str
    version: int
    arn: str
    what: str  # "review", "promotion", or a PAUSED release's "Continue or Roll back"
    until: datetime


def answer(text: str, *sections: str) -> dict[str, Any]:
    """`text` and `sections` are mrkdwn: what came from outside in them is escaped already."""
    blocks = [section(part) for part in (text, *sections)]
    return {"response_type": "ephemeral", "text": clip(text), "blocks": blocks}


def status_answer(state: GroupState) -> dict[str, Any]:
    live = state.live
    lines = [f"*Production:* v{live.version} since {_when(live.since)}" if live else "*Production:* nothing live"]
    release = state.release
    if until := watched_until(release):
        lines[0] += f", {watching_words(until)}"
    elif release is not None:
        ended = "" if release.in_flight else f", ended {_when(release.ended_at)}"
        lines.append(f"*Last release:* {escape(release.label)} {release.stage.value}{ended}" + _reason(release.reason))
        lines += _rollout(release)
    if state.queued:
        lines.append(f"*Queued:* v{state.queued.version}")
    lines += [f"• {_line(item)}" for item in waiting_in(state)[:SHOWN]]
    return answer(f"*{escape(state.group)}*", "\n".join(lines))


def history_answer(group: str, rows: Sequence[HistoryRow]) -> dict[str, Any]:
    if not rows:
        return answer(f"*{escape(group)}*: no release history yet")
    lines = [f"• v{row.version} *{escape(row.outcome)}* {_span(row)}{_reason(row.reason)}" for row in rows[:SHOWN]]
    rows_word = "row" if len(lines) == 1 else "rows"
    return answer(f"*{escape(group)}*: the latest {len(lines)} history {rows_word}, newest first", "\n".join(lines))


def pending_answer(found: Sequence[Waiting], unseen: int = 0) -> dict[str, Any]:
    head = f"{len(found)} version(s) waiting for people" if found else "Nothing waits for people"
    note = f" ({unseen} group(s) could not be checked for you)" if unseen else ""
    lines = [f"• {_line(item)}" for item in sorted(found, key=lambda item: item.until)[:SHOWN]]
    return answer(head + note, *(["\n".join(lines)] if lines else []))


def waiting_in(state: GroupState) -> list[Waiting]:
    found = [Waiting(state.group, r.version, r.arn, "review", r.expires_at) for r in state.reviews]
    release = state.release
    if release is not None and release.stage is Stage.AWAITING_PROMOTION:
        found.append(Waiting(state.group, release.version, release.arn, "promotion", release.deadline))
    if release is not None and release.stage is Stage.PAUSED:  # rolled back at its deadline unless continued
        found.append(Waiting(state.group, release.version, release.arn, "Continue or Roll back", release.deadline))
    return found


def _rollout(release: Release) -> list[str]:
    """A release in flight in its shadow test or at a progressive step: where, since when, how it was judged."""
    view = rollout_view(release) if release.in_flight else None
    if view is None or view.phase not in (Stage.SHADOW, Stage.PRODUCTION):
        return []
    judged = escape((view.last_judgement or "none yet")[:200])  # metric names and details come from the policy
    return [f"*Rollout:* {view.headline} since {_when(view.since)}; last judgement: {judged} ({view.counts})"]


def _line(item: Waiting) -> str:
    console = link(console_url(item.arn), "console")
    return f"{escape(item.group)} v{item.version} awaits {item.what}, until {_when(item.until)} ({console})"


def _span(row: HistoryRow) -> str:
    if row.served_from is None:  # a person's act or a review's step: when it happened (its key starts so)
        return row.key.split("#", 1)[0].replace("T", " ")[:16] + " UTC"
    return f"{_when(row.served_from)} → {_when(row.served_to)}"


def _when(moment: datetime | None) -> str:
    return moment.strftime("%Y-%m-%d %H:%M UTC") if moment else "-"


def _reason(reason: str) -> str:
    return f": {escape(reason[:200])}" if reason else ""
