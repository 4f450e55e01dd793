"""Policy thresholds: a small, checked subset of JSON Schema compiled into fast comparisons.

A policy writes its floors and approval bar as JSON Schema (``{"required": ["auc"], "properties":
{"auc": {"type": "number", "minimum": 0.8}}}``). The policy schema admits only ``required``,
``properties`` and the four numeric bounds, so compiling them to comparisons gives exactly
jsonschema's verdict (a property test holds us to that) at a fraction of the cost, with reasons that
name the metric and both numbers.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from chalicelib.gate.verdict import Check
from chalicelib.shared.numbers import exact

_BOUND_KEYWORDS: dict[str, tuple[str, Callable[[float, float], bool]]] = {
    "minimum": (">=", operator.ge),
    "exclusiveMinimum": (">", operator.gt),
    "maximum": ("<=", operator.le),
    "exclusiveMaximum": ("<", operator.lt),
}


@dataclass(frozen=True)
class Bound:
    metric: str
    keyword: str
    limit: float

    def holds(self, value: float) -> bool:
        return _BOUND_KEYWORDS[self.keyword][1](value, self.limit)

    @property
    def symbol(self) -> str:
        return _BOUND_KEYWORDS[self.keyword][0]


@dataclass(frozen=True)
class Thresholds:
    """One JSON Schema of metric bounds, e.g. a policy's floors."""

    stage: str
    required: tuple[str, ...]
    bounds: tuple[Bound, ...]

    @classmethod
    def from_schema(cls, stage: str, schema: Mapping[str, Any]) -> Thresholds:
        bounds = tuple(
            Bound(metric, keyword, float(limit))
            for metric, spec in schema.get("properties", {}).items()
            for keyword, limit in spec.items()
            if keyword in _BOUND_KEYWORDS
        )
        return cls(stage, tuple(schema.get("required", ())), bounds)

    @property
    def metrics(self) -> frozenset[str]:
        return frozenset(self.required) | {bound.metric for bound in self.bounds}

    def check(self, metrics: Mapping[str, float]) -> list[Check]:
        """Every bound on a metric that is present, as a check; the caller reports the missing ones."""
        return [self._check(bound, metrics[bound.metric]) for bound in self.bounds if bound.metric in metrics]

    def _check(self, bound: Bound, value: float) -> Check:
        return Check(
            name=f"{self.stage} {bound.metric}",
            passed=bound.holds(value),
            detail=f"{bound.metric} {exact(value)} {bound.symbol} {exact(bound.limit)}",
        )
