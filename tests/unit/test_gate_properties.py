"""Properties: malformed metrics are never approved; compiled thresholds agree with jsonschema."""

from __future__ import annotations

import json
import math
from datetime import UTC, datetime
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from chalicelib.gate.service import GateDeps, decide_pending
from chalicelib.gate.thresholds import Thresholds
from chalicelib.shared.model_version import PENDING, ModelVersion
from tests.fakes.gate import FakeLiveVersions, FakeMetrics, FakeRegistry, RecordingNotifier
from tests.fakes.policies import FakePolicies
from tests.support.policies import example_policy

ARN = "arn:aws:sagemaker:us-east-1:123456789012:model-package/fraud-detection-models/1"
GOOD = {"auc": 0.95, "precision": 0.91, "recall": 0.84, "latency_p99_ms": 42}
POLICY = example_policy()

json_scalars = st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8)
json_values = st.recursive(
    json_scalars, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=4)
)
broken_values: st.SearchStrategy[object] = st.sampled_from(
    [math.nan, math.inf, -math.inf, None, "0.95", True, [0.95], {}, 10**400]
)


def decide(document: bytes) -> str | None:
    registry = FakeRegistry()
    registry.add(ModelVersion(ARN, "fraud-detection-models", 1, PENDING, metrics_uri="s3://b/k"))
    deps = GateDeps(
        registry=registry,
        metrics=FakeMetrics({"s3://b/k": document}),
        policies=FakePolicies({"fraud-detection-models": POLICY}),
        live=FakeLiveVersions(),
        notifier=RecordingNotifier(),
        clock=lambda: datetime(2026, 1, 1, tzinfo=UTC),
    )
    outcome = decide_pending(ARN, deps).outcome
    return outcome.value if outcome else None


def _dump(value: Any) -> bytes:
    return json.dumps(value, allow_nan=True).encode()


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=64) | json_values.map(_dump))
def test_arbitrary_documents_are_never_approved(document: bytes) -> None:
    # A random document may by chance be a good one; the odds are nil, and the next test covers mutations.
    assert decide(document) != "approve"


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(sorted(GOOD)), broken_values)
def test_a_good_document_with_one_broken_metric_is_never_approved(metric: str, broken: Any) -> None:
    assert decide(_dump({**GOOD, metric: broken})) != "approve"


@settings(max_examples=100, deadline=None)
@given(st.sampled_from(sorted(GOOD)))
def test_a_good_document_missing_any_metric_is_never_approved(metric: str) -> None:
    assert decide(_dump({k: v for k, v in GOOD.items() if k != metric})) != "approve"


@settings(max_examples=100, deadline=None)
@given(st.integers(min_value=0, max_value=40))
def test_a_truncated_document_is_never_approved(cut: int) -> None:
    assert decide(_dump(GOOD)[:cut]) != "approve"


def test_the_good_document_itself_is_approved() -> None:
    assert decide(_dump(GOOD)) == "approve"


finite = st.floats(allow_nan=False, allow_infinity=False, min_value=-1e6, max_value=1e6)
bound_keywords = st.sampled_from(["minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"])
threshold_schemas = st.dictionaries(
    st.sampled_from(["a", "b", "c"]), st.dictionaries(bound_keywords, finite, min_size=1), min_size=1
).map(lambda props: {"required": sorted(props), "properties": {k: {"type": "number", **v} for k, v in props.items()}})


@settings(max_examples=500, deadline=None)
@given(threshold_schemas, st.fixed_dictionaries({"a": finite, "b": finite, "c": finite}))
def test_compiled_thresholds_agree_with_jsonschema(schema: dict[str, Any], metrics: dict[str, float]) -> None:
    compiled = all(check.passed for check in Thresholds.from_schema("bar", schema).check(metrics))
    assert compiled == Draft202012Validator(schema).is_valid(metrics)
