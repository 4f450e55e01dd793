"""Asking the judge about a judged release: when a measurement is due, over which window, and on what subject."""

from __future__ import annotations

from datetime import datetime, timedelta

from chalicelib.analysis.policy import Analysis
from chalicelib.analysis.ports import Subject
from chalicelib.release.deps import ReleaseDeps
from chalicelib.release.judged import Measured
from chalicelib.release.state import Release, Stage
from chalicelib.shared.observability import count, logger


def due_window(release: Release, analysis: Analysis, now: datetime) -> tuple[datetime, datetime] | None:
    """[judged_until, now) once an interval has passed since the last measurement; in the watch window, the
    part up to its end as soon as it closes (the window does not end LIVE unjudged). None: nothing due."""
    start = release.rollout.judged_until
    if start is None:
        return None
    end = now
    if release.stage is Stage.WATCHING and release.watch_until is not None:
        end = min(now, release.watch_until)
        if now >= release.watch_until and start < release.watch_until:
            return start, end
    if now - start < timedelta(seconds=analysis.interval_seconds) or end <= start:
        return None
    return start, end


def measure(release: Release, analysis: Analysis, subject: Subject, deps: ReleaseDeps) -> Measured | None:
    """One measurement if one is due; `deps` are production's (the judge reads production's metrics)."""
    now = deps.clock()
    window = due_window(release, analysis, now)
    if window is None:
        return None
    start, end = window
    count("AnalysisMeasurement")
    if deps.judge is None:
        return Measured(now, end, analysis, None, "this deployment has no metric judge")
    try:
        judgement = deps.judge.judge(analysis, subject, start, end)
    except Exception as error:  # noqa: BLE001 - any failure is no measurement (never a pass): counted, retried
        logger.warning("the metric judge did not answer", extra={"release": release.label, "error": repr(error)})
        count("AnalysisUnavailable")
        return Measured(now, end, analysis, None, f"{type(error).__name__}: {error}")
    count("AnalysisVerdict", verdict=judgement.verdict.value)
    return Measured(now, end, analysis, judgement)
