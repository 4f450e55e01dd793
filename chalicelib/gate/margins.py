"""How much better than the champion a challenger must be, per metric and in the right direction."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Literal

from chalicelib.gate.verdict import Check
from chalicelib.shared.numbers import as_written, computed, exact

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

    def gain(self, challenger: float, champion: float) -> Decimal:
        """In decimal, on the numbers as written: 0.95 over 0.945 gains exactly the 0.005 a policy asks."""
        new, old = as_written(challenger), as_written(champion)
        gain = new - old if self.better == "higher" else old - new
        if not self.percent:
            return gain
        if old == 0:
            return gain if gain == 0 else Decimal("Infinity").copy_sign(gain)
        return gain / abs(old) * 100

    def check(self, challenger: float, champion: float) -> Check:
        gain, least = self.gain(challenger, champion), as_written(self.least_gain)
        unit = "%" if self.percent else ""
        shown = computed(gain, against=least, signed=True)
        return Check(
            name=f"champion {self.metric}",
            passed=gain >= least,
            detail=(
                f"{self.metric} {exact(challenger)} vs champion {exact(champion)} "
                f"({self.better} is better): gain {shown}{unit} >= {_signed(self.least_gain)}{unit}"
            ),
        )


def _signed(value: float) -> str:
    return ("+" if value >= 0 else "") + exact(value)
