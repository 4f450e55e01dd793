"""Reading one field of a raw event: the value we need, or a MalformedEventError that names the field.

Fields we do not read are never looked at, so unknown or odd extra fields cannot break a parser. Lengths
are checked before patterns, and values are shortened in messages: a huge value costs nothing to refuse.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from typing import Any

from chalicelib.shared.errors import MalformedEventError

SHOWN = 80  # characters of a bad value a message quotes


def event_object(value: Any, where: str = "event detail") -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise MalformedEventError(f"{where} is not an object (got {type(value).__name__})")
    return value


def text_field(
    detail: Mapping[str, Any],
    name: str,
    max_length: int,
    pattern: re.Pattern[str] | None = None,
    where: str = "event detail",
) -> str:
    value = _present(detail, name, where)
    if not isinstance(value, str):
        raise MalformedEventError(f"{where} {name} must be a string, not {type(value).__name__}")
    if not 1 <= len(value) <= max_length:
        raise MalformedEventError(f"{where} {name} is {len(value)} characters, not 1 to {max_length}")
    if pattern is not None and not pattern.fullmatch(value):
        raise MalformedEventError(f"{where} {name} does not match {pattern.pattern}: {shown(value)}")
    return value


def choice_field(detail: Mapping[str, Any], name: str, choices: Collection[str], where: str = "event detail") -> str:
    value = _present(detail, name, where)
    if not isinstance(value, str) or value not in choices:
        raise MalformedEventError(f"{where} has no valid {name}: {shown(value)} (one of {', '.join(choices)})")
    return value


def object_field(detail: Mapping[str, Any], name: str, where: str = "event detail") -> Mapping[str, Any]:
    return event_object(_present(detail, name, where), f"{where} {name}")


def shown(value: Any) -> str:
    """A bad value as a message may quote it: short, and never expensive to render."""
    if isinstance(value, str):
        return repr(value) if len(value) <= SHOWN else f"{value[:SHOWN]!r}... ({len(value)} characters)"
    if isinstance(value, bool | float) or value is None:
        return repr(value)
    if isinstance(value, int):  # the repr of a huge int is slow, and refused past 4300 digits
        return repr(value) if value.bit_length() <= 64 else f"a {value.bit_length()}-bit integer"
    return type(value).__name__  # never a container's repr: it may be huge or deeply nested


def _present(detail: Mapping[str, Any], name: str, where: str) -> Any:
    if name not in detail:
        raise MalformedEventError(f"{where} has no {name}")
    return detail[name]
