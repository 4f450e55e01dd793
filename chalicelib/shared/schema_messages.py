"""A policy schema error as a person reads it. jsonschema's own messages for a choice of keys (`anyOf`, `oneOf`
of `required` sets) or a forbidden name (`not`) repeat the whole object and the schema ("{...} is not valid
under any of the given schemas"), and a list too long repeats the list: these say what the key needs instead.
Pure: any other error keeps jsonschema's message."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any


def schema_message(validator: str, validator_value: Any, instance: Any, message: str) -> str:
    if validator in ("anyOf", "oneOf") and isinstance(instance, Mapping):
        choices = _key_choices(validator_value)
        if choices:
            return _choice_message(validator, choices, instance)
    if validator == "not" and isinstance(validator_value, Mapping) and "enum" in validator_value:
        return f"{instance!r} is not allowed here (reserved: {', '.join(map(str, validator_value['enum']))})"
    if validator in ("maxItems", "minItems") and isinstance(instance, Sequence):
        bound = "at most" if validator == "maxItems" else "at least"
        return f"{len(instance)} item(s), {bound} {validator_value} allowed"
    return message


def _key_choices(branches: Any) -> list[tuple[str, ...]] | None:
    """Each branch's required keys, when every branch is a `required` set (its `not` only forbids the others)."""
    if not isinstance(branches, list) or not branches:
        return None
    choices = []
    for branch in branches:
        if not isinstance(branch, Mapping) or set(branch) - {"required", "not"} or not branch.get("required"):
            return None
        choices.append(tuple(branch["required"]))
    return choices


def _choice_message(validator: str, choices: list[tuple[str, ...]], instance: Mapping[str, Any]) -> str:
    named = sorted({key for choice in choices for key in choice} & set(instance))
    found = f"it has {', '.join(named)}" if named else "it has none of them"
    options = ", or ".join(" with ".join(choice) for choice in choices)
    if validator == "anyOf":
        return f"needs at least one of: {options} ({found})"
    return f"needs exactly one of: {options} ({found})"
