"""One way to replace a moto method, so mypy accepts wrappers whose types are ours, not moto's."""

from __future__ import annotations

from typing import Any


def replace_method(owner: Any, name: str, function: Any) -> None:
    setattr(owner, name, function)
