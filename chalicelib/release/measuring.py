"""Asking the judge about a judged release: when a measurement is due, over which window, and on what subject."""

from __future__ import annotations

from datetime import datetime, timedelta

from chalicelib.analysis.policy import Analysis
from chalicelib.analysis.ports import Subject
from chalicelib.release.deps import ReleaseDeps
from chalicelib.release.judged import Measured, judged_through, minute, passed_through
from chalicelib.release.machine import IN_SERVICE, MISSING, EndpointSeen
from chalicelib.release.progressive import step_end
from chalicelib.release.shadow_stage import shadow_end
from chalicelib.release.state import Release, Stage
from chalicelib.shared.observability import count, logger

UNJUDGED = Analysis(checks=())  # a judged release whose policy lost its analysis: measured as no verdict


def due_window(release: Release, analysis: Analysis, now: datetime) -> tuple[datetime, datetime] | None:
    """[judged_until, now) once an interval has passed since the last measurement; in the watch window (or a
    progressive step, or the shadow test), the part up to its end as soon as it closes: none ends unjudged.
    One judged to its end without a pass (no data, or a failure within the limit) is held: measured again on
    fresh data every interval until it passes, fails or pauses. None: nothing due."""
    start = release.rollout.judged_until
    if start is None:
        return None
    closes = closing(release)
    end = now if closes is None else min(now, closes)
    if closes is not None and now >= closes:
        if not judged_through(start, closes):
            return start, end
        if passed_through(release.rollout, closes):
            return None  # judged and passed: the machine moves it on
        end = now  # held past its end
    # Whole minutes only (CloudWatch's samples): a window inside one minute has nothing to measure yet.
    if now - start < timedelta(seconds=analysis.interval_seconds) or minute(end) <= minute(start):
        return None
    return start, end


def closing(release: Release) -> datetime | None:
    """When the window being measured ends: the watch window's, the progressive step's or the shadow test's."""
    return release.watch_until if release.stage is Stage.WATCHING else step_end(release) or shadow_end(release)


def judged_from(release: Release, subject: Subject, start: datetime) -> datetime:
    """A comparison with the champion judges the step (or the shadow test) so far: its samples accumulate, so a
    short interval between looks still compares enough of them. Thresholds alone judge the interval's window."""
    since = release.rollout.step_since
    return since if subject.baseline is not None and since is not None and since < start else start


def production_on(config: str, release: Release, endpoint: str, deps: ReleaseDeps) -> tuple[EndpointSeen, bool]:
    """Production's endpoint as it is, and whether it serves `config` with the release's test there under way."""
    view = deps.endpoints.describe(endpoint)
    if view is None:
        return EndpointSeen(deps.clock(), "production", MISSING, None), False
    serving = view.status == IN_SERVICE and view.config == config and release.rollout.step_since is not None
    return EndpointSeen(deps.clock(), "production", view.status, view.config, view.failure), serving


def measure(release: Release, analysis: Analysis | None, subject: Subject, deps: ReleaseDeps) -> Measured | None:
    """One measurement if one is due; `deps` are production's (the judge reads production's metrics)."""
    now = deps.clock()
    window = due_window(release, analysis or UNJUDGED, now)
    if window is None:
        return None
    start, end = window
    closes = closing(release)
    # A comparison judges the step so far: before the step's end, too few samples is not yet a lack of data.
    final = subject.baseline is None or closes is None or end >= closes
    count("AnalysisMeasurement")
    if analysis is None:
        return Measured(now, end, UNJUDGED, None, "the group's policy has no release.analysis any more", final)
    if deps.judge is None:
        return Measured(now, end, analysis, None, "this deployment has no metric judge", final)
    try:
        judgement = deps.judge.judge(analysis, subject, judged_from(release, subject, start), end)
    except Exception as error:  # noqa: BLE001 - any failure is no measurement (never a pass): counted, retried
        logger.warning("the metric judge did not answer", extra={"release": release.label, "error": repr(error)})
        count("AnalysisUnavailable")
        return Measured(now, end, analysis, None, f"{type(error).__name__}: {error}", final)
    count("AnalysisVerdict", verdict=judgement.verdict.value)
    return Measured(now, end, analysis, judgement, final=final)
