"""The report's in-flight section: the stage strip (SHADOW when the release has a shadow test, PAUSED where it
paused) and the latest release's judged rollout: its steps done, current, to come or aborted, and the judgements.

Pure: the picture's values in, HTML out; every judgement (metric names, details) escaped.
"""

from __future__ import annotations

from html import escape

from chalicelib.release.rollout_view import RolloutView
from shepherd_cli.report.model import IN_FLIGHT_STAGES, InFlight

SHOWN_JUDGEMENTS = 10  # the newest; the release keeps 20 at most


def stage_strip(flight: InFlight) -> str:
    stages = [s for s in IN_FLIGHT_STAGES if s != "SHADOW" or flight.shadowed or flight.stage == "SHADOW"]
    at = flight.paused_at or flight.stage
    reached = stages.index(at) if at in stages else -1
    items = []
    for index, stage in enumerate(stages):
        state = "done" if index < reached else "current" if index == reached else "todo"
        label = stage
        if index == reached and flight.paused_at:
            state, label = "paused", f"{stage} (PAUSED)"
        items.append(f'<li class="stage {state}">{escape(label)}</li>')
    return f'<ol class="stages">{"".join(items)}</ol>'


def rollout_block(view: RolloutView | None) -> str:
    if view is None:
        return ""
    ended = f" (ended {escape(view.ended.value)})" if view.ended else ""
    since = f", since {view.since:%Y-%m-%d %H:%M} UTC" if view.since and not view.ended else ""
    head = f"<h3>Rollout of v{view.version}{ended}</h3>"
    head += f"<p>{escape(view.headline)}{since} &middot; {escape(view.counts)}</p>"
    steps = "".join(
        f'<li class="step {step.state.replace(" ", "-")}" title="{escape(step.state)}">{step.percent}%</li>'
        for step in view.steps
    )
    strip = f'<ol class="steps">{steps}</ol>' if steps else ""
    return f'<div class="rollout">{head}{strip}{_judgements(view)}</div>'


def _judgements(view: RolloutView) -> str:
    if not view.judgements:
        return '<p class="empty">No measurement yet.</p>'
    shown = view.judgements[-SHOWN_JUDGEMENTS:]
    items = "".join(
        f'<li class="judgement {escape(text.split(":", 1)[0].lower())}">{escape(text)}</li>' for text in reversed(shown)
    )
    return f'<ol class="judgements" aria-label="judgements, newest first">{items}</ol>'
