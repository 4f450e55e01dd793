"""Turn a metrics document, in any shape our users write, into flat finite numbers.

Two shapes are accepted:
- flat: ``{"auc": 0.93, "precision": 0.9}`` (what the seed's metrics.json holds);
- SageMaker's model-quality report: ``{"binary_classification_metrics": {"auc": {"value": 0.93,
  "standard_deviation": 0.01}}}``, and the ``regression_metrics`` / ``multiclass_classification_metrics``
  variants.

Values that are not numbers (labels, curves, confusion matrices) are left out of the numbers, but what
each one is stays known: when the policy needs `auc` and the document says `"auc": "0.95"`, the gate says
"auc is a string", not "auc is missing". Whether the metrics a policy needs are there is the policy's
business. A non-finite number anywhere makes the whole document untrustworthy, so it is refused.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from chalicelib.shared import bounded_json
from chalicelib.shared.errors import MetricsUnavailableError

Metrics = Mapping[str, float]

REPORT_SUFFIX = "_metrics"
# A model-quality report nests four levels (section, metric, curve, points) and weighs kilobytes;
# anything far past that is not a metrics document, and must not crash the gate.
MAX_DEPTH = 32
MAX_BYTES = 4 * 1024 * 1024


@dataclass(frozen=True)
class MetricsReading:
    values: dict[str, float]
    not_numbers: Mapping[str, str] = field(default_factory=dict)  # metric -> what it is: 'a string ("0.95")'

    def problem(self, name: str) -> str:
        """Why `name` has no value: what the document holds instead, or that it is missing."""
        return f"{name} is {self.not_numbers[name]}, not a number" if name in self.not_numbers else f"{name} missing"


def parse_metrics_document(raw: bytes | str) -> dict[str, float]:
    """Parse the bytes of a metrics document; raise MetricsUnavailableError on anything untrustworthy."""
    return read_metrics_document(raw).values


def read_metrics_document(raw: bytes | str) -> MetricsReading:
    """The numbers, and what each entry that is not a number is instead."""
    try:
        document = bounded_json.loads(raw, MAX_BYTES, MAX_DEPTH)
    except bounded_json.JsonLimitError as error:
        raise MetricsUnavailableError(f"metrics {error}") from None
    except (ValueError, UnicodeDecodeError) as error:
        raise MetricsUnavailableError(f"metrics document is not JSON: {error}") from None
    return read_metrics(document)


def flatten_metrics(document: Any) -> dict[str, float]:
    return read_metrics(document).values


def read_metrics(document: Any) -> MetricsReading:
    if not isinstance(document, dict):
        raise MetricsUnavailableError(f"metrics document must be a JSON object, got {type(document).__name__}")
    _refuse_non_finite(document, path="")
    metrics: dict[str, float] = {}
    others: dict[str, Any] = {}
    for name, value in document.items():
        if name.endswith(REPORT_SUFFIX) and isinstance(value, dict):
            for entry, found in value.items():  # a report writes {"value": number, ...} for each metric
                if isinstance(found, dict):
                    _sort(entry, found.get("value"), metrics, others)
                else:
                    others[entry] = found
        else:
            _sort(name, value.get("value") if isinstance(value, dict) else value, metrics, others)
    not_numbers = {name: _what(value) for name, value in others.items() if name not in metrics}
    if not metrics:
        instead = "; ".join(f"{name} is {what}" for name, what in list(not_numbers.items())[:5])
        raise MetricsUnavailableError("metrics document holds no numeric metric" + (f" ({instead})" if instead else ""))
    return MetricsReading(metrics, not_numbers)


def _sort(name: str, value: Any, metrics: dict[str, float], others: dict[str, Any]) -> None:
    if (number := _number(value)) is not None:
        metrics[name] = number
    else:
        others[name] = value


def _what(value: Any) -> str:
    """What a value that is not a number is, in a few words people recognise: 'a string ("0.95")'."""
    if isinstance(value, bool):
        return f"a boolean ({json.dumps(value)})"
    if isinstance(value, str):
        shown = json.dumps(value[:40] + ("…" if len(value) > 40 else ""), ensure_ascii=False)
        return f"a string ({shown})"
    if value is None:
        return "null (or an object without a numeric value)"
    return "a list" if isinstance(value, list) else f"a {type(value).__name__}"


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
