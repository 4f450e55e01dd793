"""Hostile documents fail closed with a clear reason, never a crash: deep nesting, huge numbers and strings.

Python's parser, and any recursive walk over what it returns, raise RecursionError near 1,000 levels;
a 2 KB metrics document can nest that deep.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chalicelib.adapters.policy_files import FilePolicyRepository
from chalicelib.gate.metrics import parse_metrics_document
from chalicelib.gate.service import GateDeps, decide_pending
from chalicelib.gate.verdict import Outcome
from chalicelib.shared.errors import InvalidPolicyError, MalformedEventError, MetricsUnavailableError
from chalicelib.shared.events import model_package_ref
from chalicelib.shared.model_version import PENDING, ModelVersion
from tests.fakes.gate import FakeLiveVersions, FakeMetrics, FakeRegistry, RecordingNotifier
from tests.fakes.policies import FakePolicies
from tests.support.policies import EXAMPLE, example_policy

ARN = "arn:aws:sagemaker:us-east-1:123456789012:model-package/fraud-detection-models/1"
GOOD = {"auc": 0.95, "precision": 0.91, "recall": 0.84, "latency_p99_ms": 42}


def nested(depth: int, core: str = "0.9", wrap: str = "list") -> str:
    """`core` inside `depth` arrays or objects, as text (json.dumps itself would recurse)."""
    if wrap == "list":
        return "[" * depth + core + "]" * depth
    return '{"a":' * depth + core + "}" * depth


def gate(document: bytes) -> tuple[Outcome | None, tuple[str, ...]]:
    registry = FakeRegistry()
    registry.add(ModelVersion(ARN, "fraud-detection-models", 1, PENDING, metrics_uri="s3://b/k"))
    deps = GateDeps(
        registry=registry,
        metrics=FakeMetrics({"s3://b/k": document}),
        policies=FakePolicies({"fraud-detection-models": example_policy()}),
        live=FakeLiveVersions(),
        notifier=RecordingNotifier(),
        clock=lambda: datetime(2026, 1, 1, tzinfo=UTC),
    )
    result = decide_pending(ARN, deps)
    return result.outcome, result.reasons


def test_a_2kb_metrics_document_nested_990_levels_goes_to_review_with_the_reason() -> None:
    document = ('{"auc": 0.95, "curve": ' + nested(990) + "}").encode()
    assert len(document) < 2100
    outcome, reasons = gate(document)
    assert outcome is Outcome.REVIEW
    assert "cannot trust the metrics: metrics document is nested deeper than 32 levels" in reasons[0]


@settings(max_examples=60, deadline=None)
@given(
    depth=st.integers(min_value=33, max_value=20_000),
    wrap=st.sampled_from(["list", "dict"]),
    where=st.sampled_from(["root", "metric", "section"]),
)
def test_deep_nesting_anywhere_in_a_metrics_document_is_refused_not_a_crash(depth: int, wrap: str, where: str) -> None:
    deep = nested(depth, wrap=wrap)
    document = {
        "root": deep,
        "metric": '{"auc": ' + deep + ', "precision": 0.9}',
        "section": '{"binary_classification_metrics": {"auc": {"value": 0.9, "points": ' + deep + "}}}",
    }[where]
    with pytest.raises(MetricsUnavailableError, match="nested deeper than 32 levels"):
        parse_metrics_document(document)
    assert gate(document.encode())[0] is Outcome.REVIEW


@settings(max_examples=60, deadline=None)
@given(digits=st.integers(min_value=310, max_value=20_000), sign=st.sampled_from(["", "-"]))
def test_numbers_too_big_for_a_float_in_a_metrics_document_fail_closed(digits: int, sign: str) -> None:
    document = json.dumps({**GOOD, "auc": "@"}).replace('"@"', sign + "9" * digits).encode()
    assert gate(document)[0] is Outcome.REVIEW


@settings(max_examples=30, deadline=None)
@given(name=st.text(min_size=1, max_size=5_000), value=st.text(max_size=50_000))
def test_huge_strings_in_a_metrics_document_do_not_crash_the_gate(name: str, value: str) -> None:
    outcome, reasons = gate(json.dumps({**GOOD, name: value}).encode())
    assert outcome is not None and reasons


def test_a_metrics_document_over_the_size_limit_is_refused() -> None:
    with pytest.raises(MetricsUnavailableError, match="larger than"):
        parse_metrics_document(json.dumps({**GOOD, "pad": "x" * (5 * 1024 * 1024)}))


def test_a_deeply_nested_policy_is_invalid_not_a_crash(tmp_path: Path) -> None:
    document = json.loads(EXAMPLE.read_text())
    text = json.dumps(document).replace('"description": ', '"description": ' + nested(5_000) + ', "x": ', 1)
    (tmp_path / "fraud-detection-models.json").write_text(text)
    with pytest.raises(InvalidPolicyError, match="nested deeper than 32 levels"):
        FilePolicyRepository(tmp_path).get("fraud-detection-models")


@settings(max_examples=30, deadline=None)
@given(depth=st.integers(min_value=1, max_value=5_000), field=st.sampled_from(["ModelPackageArn", "Other"]))
def test_a_deeply_nested_event_detail_is_malformed_or_read_never_a_crash(depth: int, field: str) -> None:
    detail = json.loads(f'{{"ModelApprovalStatus": "PendingManualApproval", "{field}": {nested(min(depth, 900))}}}')
    if field == "Other":
        detail["ModelPackageArn"] = ARN
        assert model_package_ref(detail).arn == ARN
    else:
        with pytest.raises(MalformedEventError):
            model_package_ref(detail)
