"""The one place moto is changed: every patched attribute is set once, from all the patches declared for it.

A patch is data: `Wrap` puts a layer around a method moto has, `Add` gives moto an operation it lacks,
`Replace` swaps a value it gets wrong. Several layers on one method become one wrapper, the first
declared nearest to moto. Each patch names the `gap` in plain moto it fills: one test per gap
(tests/integration/test_moto_gaps.py) shows plain moto still has it, so an upgrade says which can go.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from functools import wraps
from typing import Any

Method = Callable[..., Any]  # an unbound method: method(self, *args, **kwargs)
Layer = Callable[..., Any]  # layer(call_next: Method, self, *args, **kwargs): call_next runs the layers below


@dataclass(frozen=True)
class Wrap:
    owner: type
    name: str
    layer: Layer
    gap: str


@dataclass(frozen=True)
class Add:
    owner: type
    name: str
    value: object
    gap: str


@dataclass(frozen=True)
class Replace:
    owner: type
    name: str
    value: object
    gap: str


Patch = Wrap | Add | Replace
_ABSENT = object()


@dataclass(frozen=True)
class _Applied:
    owner: type
    name: str
    original: object  # what the class itself held (_ABSENT: nothing, or only inherited)
    patched: object


class Patcher:
    """Applies a list of patches once and can undo them for a while."""

    def __init__(self) -> None:
        self._applied: list[_Applied] = []

    @property
    def applied(self) -> bool:
        return bool(self._applied)

    def apply(self, patches: Sequence[Patch]) -> None:
        if self._applied:
            raise RuntimeError("already patched: apply() runs once")
        values: dict[tuple[type, str], object] = {}
        for patch in patches:
            key = (patch.owner, patch.name)
            if isinstance(patch, Add) and hasattr(patch.owner, patch.name):
                raise RuntimeError(f"{patch.owner.__name__}.{patch.name} exists now: is the patch still needed?")
            if isinstance(patch, Wrap):
                below = values.get(key, getattr(patch.owner, patch.name))
                if not callable(below):
                    raise TypeError(f"{patch.owner.__name__}.{patch.name} is not a method: it cannot be wrapped")
                values[key] = _layered(below, patch.layer)
            else:
                values[key] = patch.value
        for (owner, name), value in values.items():
            self._applied.append(_Applied(owner, name, owner.__dict__.get(name, _ABSENT), value))
            setattr(owner, name, value)

    @contextmanager
    def undone(self) -> Iterator[None]:
        """The classes as they were before apply(), for the length of the block."""
        for patch in self._applied:
            _put(patch.owner, patch.name, patch.original)
        try:
            yield
        finally:
            for patch in self._applied:
                setattr(patch.owner, patch.name, patch.patched)


MOTO = Patcher()  # the process's moto: devstack.moto_ext.install() applies the declared patches to it


def plain_moto() -> AbstractContextManager[None]:
    """moto as released, for the length of the block (nothing to undo before install())."""
    return MOTO.undone()


def _layered(below: Method, layer: Layer) -> Method:
    @wraps(below)
    def method(self: Any, *args: Any, **kwargs: Any) -> Any:
        return layer(below, self, *args, **kwargs)

    return method


def _put(owner: type, name: str, value: object) -> None:
    if value is _ABSENT:
        delattr(owner, name)
    else:
        setattr(owner, name, value)
