"""Numbers as people wrote them: the shortest text that reads back as the same float, and exact arithmetic
on those texts.

A metric of 40000.4 against a bar of 40000 must not read `4e+04 <= 4e+04 FAIL`; a gain of 0.95 over 0.945
is 0.005 (what the policy's author means), not 0.0050000000000000044.
"""

from __future__ import annotations

from decimal import Decimal

SIGNIFICANT = 4  # digits for a computed number, unless more are needed to tell it from what it is held to


def exact(value: float) -> str:
    """The shortest text that parses back to `value`: 0.95, 40000.4, 250, 1e-07."""
    text = repr(float(value))
    return text.removesuffix(".0")


def as_written(value: float) -> Decimal:
    """The decimal `exact(value)` spells: arithmetic on it has no binary float noise."""
    return Decimal(repr(float(value)))


def computed(value: Decimal, against: Decimal | None = None, signed: bool = False) -> str:
    """A computed number with SIGNIFICANT digits, or as many more as it takes to differ from `against`."""
    if not value.is_finite():
        return ("+" if signed and value > 0 else "") + ("inf" if value > 0 else "-inf")
    digits = SIGNIFICANT
    while True:
        text = _rounded(value, digits)
        if against is None or value == against or Decimal(text) != against or digits >= 28:
            return ("+" if signed and value >= 0 and not text.startswith("-") else "") + text
        digits += 1


def _rounded(value: Decimal, digits: int) -> str:
    if value == 0:
        return "0"
    rounded = round(value, digits - value.adjusted() - 1).normalize()
    text = f"{rounded:f}" if -7 <= rounded.adjusted() < 16 else f"{rounded:e}"
    return "0" if text in ("-0", "0") else text
