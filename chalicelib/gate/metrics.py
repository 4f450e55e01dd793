"""Turn a metrics document, in any shape our users write, into flat finite numbers.

Two shapes are accepted:
- flat: ``{"auc": 0.93, "precision": 0.9}`` (what the seed's metrics.json holds);
- SageMaker's model-quality report: ``{"binary_classification_metrics": {"auc": {"value": 0.93,
  "standard_deviation": 0.01}}}``, and the ``regression_metrics`` / ``multiclass_classification_metrics``
  variants.

Values that are not numbers (labels, curves, confusion matrices) are left out; whether the metrics a
policy needs are present is the policy's business. A non-finite number anywhere makes the whole
document untrustworthy, so it is refused.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from chalicelib.shared import bounded_json
from chalicelib.shared.errors import MetricsUnavailableError

Metrics = Mapping[str, float]

REPORT_SUFFIX = "_metrics"
# A model-quality report nests four levels (section, metric, curve, points) and weighs kilobytes;
# anything far past that is not a metrics document, and must not crash the gate.
MAX_DEPTH = 32
MAX_BYTES = 4 * 1024 * 1024


def parse_metrics_document(raw: bytes | str) -> dict[str, float]:
    """Parse the bytes of a metrics document; raise MetricsUnavailableError on anything untrustworthy."""
    try:
        document = bounded_json.loads(raw, MAX_BYTES, MAX_DEPTH)
    except bounded_json.JsonLimitError as error:
        raise MetricsUnavailableError(f"metrics {error}") from None
    except (ValueError, UnicodeDecodeError) as error:
        raise MetricsUnavailableError(f"metrics document is not JSON: {error}") from None
    return flatten_metrics(document)


def flatten_metrics(document: Any) -> dict[str, float]:
    if not isinstance(document, dict):
        raise MetricsUnavailableError(f"metrics document must be a JSON object, got {type(document).__name__}")
    _refuse_non_finite(document, path="")
    metrics: dict[str, float] = {}
    for name, value in document.items():
        if name.endswith(REPORT_SUFFIX) and isinstance(value, dict):
            metrics.update(_report_section(value))
        elif (number := _entry_value(value)) is not None:
            metrics[name] = number
    if not metrics:
        raise MetricsUnavailableError("metrics document holds no numeric metric")
    return metrics


def _report_section(section: dict[str, Any]) -> dict[str, float]:
    found: dict[str, float] = {}
    for name, entry in section.items():
        if isinstance(entry, dict) and (number := _number(entry.get("value"))) is not None:
            found[name] = number
    return found


def _entry_value(value: Any) -> float | None:
    """A flat metric: a bare number, or ``{"value": number, ...}`` as reports write one."""
    if isinstance(value, dict):
        return _number(value.get("value"))
    return _number(value)


def _number(value: Any) -> float | None:
    # bool is an int in Python; a metric of `true` is a bug upstream, not 1.0.
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value)


def _refuse_non_finite(document: Any, path: str) -> None:
    # A loop, not recursion: a document from anywhere must not reach the interpreter's recursion limit.
    try:
        bounded_json.check_depth(document, MAX_DEPTH)
    except bounded_json.JsonLimitError as error:
        raise MetricsUnavailableError(f"metrics {error}") from None
    pending: list[tuple[Any, str]] = [(document, path)]
    while pending:
        value, where = pending.pop()
        if isinstance(value, (int, float)) and not isinstance(value, bool) and not _finite(value):
            raise MetricsUnavailableError(f"metric {where[:80] or '<root>'} is not a finite number ({str(value)[:24]})")
        if isinstance(value, dict):
            pending.extend((child, f"{where}.{key}" if where else str(key)) for key, child in value.items())
        elif isinstance(value, list):
            pending.extend((child, f"{where}[{index}]") for index, child in enumerate(value))


def _finite(value: int | float) -> bool:
    try:
        return math.isfinite(value)
    except OverflowError:  # an int too large for a float
        return False
