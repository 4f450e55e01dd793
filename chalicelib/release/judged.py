"""The metric analysis's part of the release machine, pure: what one measurement does to a judged release.

A judged release (its policy has `release.analysis`) is measured every interval from the moment production
serves it. Each measurement is recorded; failures beyond `failure_limit` roll it back, measurements without
data beyond `inconclusive_limit` pause it for people (Continue or Roll back), and a PAUSED release nobody
continued before its deadline is rolled back. A judge that could not answer (a refused or throttled read) is
no measurement: it says nothing about the model, so it counts neither way; the window stays unjudged and the
next look measures it. A window is never passed unjudged: a judge that keeps not answering holds the release
until its deadline (the watch window's: its end plus production's deadline, then people are asked).
Windows are judged in whole minutes, as CloudWatch's per-minute samples are: a window is judged to its end
once the minute it ends in is reached.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from chalicelib.analysis.policy import Analysis
from chalicelib.analysis.verdict import Judgement, Verdict
from chalicelib.release.state import Release, Rollout, Stage
from chalicelib.release.transition import Transition, end

KEPT_RESULTS = 20  # the newest measurements a release keeps (the stored item stays small)
RESULT_CHARS = 300  # one measurement's summary, cut to this
JUDGED_STAGES = frozenset({Stage.SHADOW, Stage.PRODUCTION, Stage.WATCHING})


@dataclass(frozen=True)
class Measured:
    """One measurement of the release's metrics over [its rollout's judged_until, `end`)."""

    at: datetime
    end: datetime
    analysis: Analysis  # its limits decide; the checks were the judge's
    judgement: Judgement | None  # None: the judge could not answer (throttled, refused)
    error: str = ""  # why there is no judgement
    # False: a comparison with the champion before its step's (or shadow test's) end. Such a measurement judges
    # the step so far, its samples still accumulating: too few of them is not yet counted as no data.
    final: bool = True


def measured(release: Release, event: Measured) -> Transition:
    rollout = release.rollout
    if release.stage not in JUDGED_STAGES or rollout.judged_until is None or event.end <= rollout.judged_until:
        return Transition(release)  # not judged now, or a late duplicate of a window already judged
    if event.judgement is None:  # no measurement: recorded, counted neither way, the window judged again
        rollout = _recorded(rollout, f"UNAVAILABLE: {event.error or 'no answer'}")
    else:
        verdict = event.judgement.verdict
        failed, unsure = verdict is Verdict.FAIL, verdict is Verdict.INCONCLUSIVE and event.final
        recorded = _recorded(rollout, event.judgement.summary, failed, unsure)
        rollout = replace(recorded, judged_until=event.end, last_verdict=verdict.value)
    judged = replace(release, rollout=rollout)
    if rollout.failures > event.analysis.failure_limit:
        why = f"the metric analysis failed {rollout.failures} time(s): {last_result(judged)}"
        return end(judged, Stage.ROLLED_BACK, why, event.at, restore=True)
    if rollout.inconclusive > event.analysis.inconclusive_limit:
        return paused(judged, event.at)
    return Transition(judged)


def _recorded(rollout: Rollout, summary: str, failed: bool = False, inconclusive: bool = False) -> Rollout:
    results = (*rollout.results, summary[:RESULT_CHARS])[-KEPT_RESULTS:]
    return replace(
        rollout,
        results=results,
        failures=rollout.failures + failed,
        inconclusive=rollout.inconclusive + inconclusive,
    )


def paused(release: Release, now: datetime, why: str = "") -> Transition:
    """People are asked (Continue or Roll back) until the stage's deadline from now; then it is rolled back."""
    why = why or f"the metric analysis had no verdict {release.rollout.inconclusive} time(s): {last_result(release)}"
    rollout = replace(release.rollout, paused_from=release.stage)
    deadline = now + release.rules.production_deadline
    held = replace(release, stage=Stage.PAUSED, reason=why, deadline=deadline, rollout=rollout)
    return Transition(held, notify="release.paused")


def tick_paused(release: Release, now: datetime) -> Transition:
    if now <= release.deadline:
        return Transition(release)
    why = f"paused, and nobody continued it before {release.deadline.isoformat(timespec='seconds')}"
    return end(release, Stage.ROLLED_BACK, why, now, restore=True)


def judging_from(release: Release, at: datetime) -> Release:
    """Production serves the release from `at`: its measurements start there."""
    return replace(release, rollout=replace(release.rollout, judged_until=at, last_verdict=""))


def window_judged(release: Release) -> bool:
    """The watch window may end: the release is not judged, or judged up to the window's end and passed."""
    judged_until, until = release.rollout.judged_until, release.watch_until
    return judged_until is None or until is None or passed_through(release.rollout, until)


def judged_through(judged_until: datetime | None, until: datetime) -> bool:
    """Measured to `until`, in whole minutes: the minute `until` falls in is the next window's to measure."""
    return judged_until is not None and minute(judged_until) >= minute(until)


def passed_through(rollout: Rollout, until: datetime) -> bool:
    """Measured to `until` and the last measurement passed: a window judged without data (or failed below the
    failure limit) at its end is held and measured again, never passed silently."""
    return judged_through(rollout.judged_until, until) and rollout.last_verdict == Verdict.PASS.value


def minute(moment: datetime) -> datetime:
    return moment.replace(second=0, microsecond=0)


def unmeasurable(release: Release, now: datetime) -> Transition | None:
    """The watch window ended a production deadline ago and its end is still unmeasured (the judge keeps not
    answering): people are asked. None: not yet, or not again before the deadline a person's Continue gave."""
    until = release.watch_until
    if until is None or window_judged(release) or now < until + release.rules.production_deadline:
        return None
    if now <= release.deadline:
        return None
    why = f"the metric analysis could not measure the watch window's end: {last_result(release)}"
    return paused(release, now, why)


def last_result(release: Release) -> str:
    return release.rollout.results[-1] if release.rollout.results else "no measurement"
