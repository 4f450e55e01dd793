"""SageMaker's rules for CustomerMetadataProperties, which AWS enforces and moto does not.

botocore's service model: at most 50 keys (the team's and ours together); keys 1-128 and values 1-256
characters of `[\\p{L}\\p{Z}\\p{N}_.:\\/=+\\-@]*` (letters, separators, numbers and `_.:/=+-@`: no braces,
quotes, commas or parentheses). A request outside them is refused whole, decision and all.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

MAX_KEYS = 50
KEY_LIMIT = 128
VALUE_LIMIT = 256
_SYMBOLS = frozenset("_.:/=+-@")
_CLASSES = ("L", "Z", "N")  # Unicode letters, separators, numbers: Java's \p{L}, \p{Z}, \p{N}


def allowed(char: str) -> bool:
    return char in _SYMBOLS or unicodedata.category(char)[0] in _CLASSES


def fits(text: str, limit: int = VALUE_LIMIT) -> bool:
    return 1 <= len(text) <= limit and all(allowed(char) for char in text)


def safe_value(text: str, fallback: str = "unknown") -> str:
    """`text` with every character SageMaker refuses dropped, cut to 256; never empty."""
    kept = " ".join("".join(char for char in text if allowed(char)).split())[:VALUE_LIMIT]
    return kept or fallback


@dataclass(frozen=True)
class MetadataUpdate:
    metadata: dict[str, str]
    left_out: tuple[str, ...] = ()  # our keys there was no room for (the team's are never dropped)


def with_ours(existing: Mapping[str, str], ours: Sequence[tuple[str, str]]) -> MetadataUpdate:
    """The team's metadata as it is, plus ours, most important first, while the 50 keys last."""
    merged = dict(existing)
    left_out: list[str] = []
    for key, value in ours:
        if key in merged or len(merged) < MAX_KEYS:
            merged[key] = value
        else:
            left_out.append(key)
    return MetadataUpdate(merged, tuple(left_out))
