"""Counts with dimensions are flushed on their own: they must honour POWERTOOLS_METRICS_DISABLED like the rest."""

from __future__ import annotations

import json

import pytest

from chalicelib.shared.observability import count


def test_dimensioned_count_is_emitted_as_emf(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("POWERTOOLS_METRICS_DISABLED", raising=False)
    monkeypatch.delenv("POWERTOOLS_DEV", raising=False)
    count("ReleaseAction", action="deploy_staging")
    emitted = json.loads(capsys.readouterr().out)
    assert (emitted["ReleaseAction"], emitted["action"]) == ([1.0], "deploy_staging")


def test_dimensioned_count_is_silent_when_metrics_are_disabled(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("POWERTOOLS_METRICS_DISABLED", "true")
    count("ReleaseAction", action="deploy_staging")
    assert capsys.readouterr().out == ""
