"""How much better than the champion a challenger must be, per metric and in the right direction."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from chalicelib.gate.verdict import Check

Direction = Literal["higher", "lower"]
# Each margin names exactly one of these (the policy schema enforces it). A "loss" is a gain that
# may be negative: latency "max_loss_pct: 10" means at most 10% worse.
_KINDS = ("min_gain", "min_gain_pct", "max_loss", "max_loss_pct")


@dataclass(frozen=True)
class Margin:
    metric: str
    better: Direction
    least_gain: float  # the gain must be >= this (negative: a loss allowed)
    percent: bool

    @classmethod
    def from_spec(cls, metric: str, spec: Mapping[str, Any]) -> Margin:
        kind = next(key for key in _KINDS if key in spec)
        amount = float(spec[kind])
        least_gain = amount if kind.startswith("min_gain") else -amount
        return cls(metric, spec["better"], least_gain, percent=kind.endswith("_pct"))

    def gain(self, challenger: float, champion: float) -> float:
        gain = challenger - champion if self.better == "higher" else champion - challenger
        if not self.percent:
            return gain
        if champion == 0:
            return 0.0 if gain == 0 else math.copysign(math.inf, gain)
        return gain / abs(champion) * 100

    def check(self, challenger: float, champion: float) -> Check:
        gain = self.gain(challenger, champion)
        unit = "%" if self.percent else ""
        return Check(
            name=f"champion {self.metric}",
            passed=gain >= self.least_gain,
            detail=(
                f"{self.metric} {challenger:.4g} vs champion {champion:.4g} "
                f"({self.better} is better): gain {gain:+.4g}{unit} >= {self.least_gain:+.4g}{unit}"
            ),
        )
