"""The rules a request's params are checked against: one small object per shape (see shapes.py).

A request walks only the members it carries. A value of the wrong type is left alone: botocore's own validation
refuses it client-side, and the server's parser never produces one.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from devstack.aws_validation import violations as say
from devstack.aws_validation.violations import SENSITIVE, Violation

Path = tuple[str, ...]


class Rule(Protocol):
    def check(self, value: Any, path: Path, found: list[Violation]) -> None: ...


def _add(found: list[Violation], path: Path, value: Any, constraints: list[str]) -> None:
    found.extend(Violation(".".join(path), value, constraint) for constraint in constraints)


@dataclass(eq=False)
class StringRule:
    low: int | None
    high: int | None
    pattern: str | None  # as the model writes it, for the message
    compiled: Any  # the pattern as Python's `regex` runs it; None: no pattern, or none it can run
    enum: tuple[str, ...]
    sensitive: bool

    def check(self, value: Any, path: Path, found: list[Violation]) -> None:
        if isinstance(value, str) and (broken := self.broken(value)):
            _add(found, path, SENSITIVE if self.sensitive else value, broken)

    def broken(self, value: str) -> list[str]:
        if self._fits(value):
            return []  # the common case, without building any message
        broken = say.length(len(value), self.low, self.high)
        if self.compiled is not None and self.compiled.fullmatch(value) is None:
            broken.append(say.pattern(str(self.pattern)))
        if self.enum and value not in self.enum:
            broken.append(say.enum(self.enum))
        return broken

    def _fits(self, value: str) -> bool:
        return (
            (self.low is None or len(value) >= self.low)
            and (self.high is None or len(value) <= self.high)
            and (self.compiled is None or self.compiled.fullmatch(value) is not None)
            and (not self.enum or value in self.enum)
        )


@dataclass(eq=False)
class NumberRule:
    low: float | None
    high: float | None

    def check(self, value: Any, path: Path, found: list[Violation]) -> None:
        if isinstance(value, int | float) and not isinstance(value, bool):
            _add(found, path, value, say.value_bounds(value, self.low, self.high))


@dataclass(eq=False)
class BlobRule:
    low: int | None
    high: int | None

    def check(self, value: Any, path: Path, found: list[Violation]) -> None:
        # A str is sent as its UTF-8 bytes; a file-like body is streamed, its length unknown here.
        size = len(value.encode()) if isinstance(value, str) else len(value) if isinstance(value, bytes) else None
        if size is not None:  # AWS shows a blob as a buffer, never its bytes: it is not repeated back
            _add(found, path, SENSITIVE, say.length(size, self.low, self.high))


@dataclass(eq=False)
class ListRule:
    low: int | None
    high: int | None
    member: Rule | None

    def check(self, value: Any, path: Path, found: list[Violation]) -> None:
        if not isinstance(value, list | tuple):
            return
        _add(found, path, value, say.length(len(value), self.low, self.high))
        if self.member is not None:
            for index, item in enumerate(value, start=1):
                self.member.check(item, (*path, str(index), "member"), found)


@dataclass(eq=False)
class MapRule:
    low: int | None
    high: int | None
    key: StringRule | None
    value: Rule | None

    def check(self, value: Any, path: Path, found: list[Violation]) -> None:
        if not isinstance(value, Mapping):
            return
        _add(found, path, value, say.length(len(value), self.low, self.high))
        for key, item in value.items():
            if self.key is not None and isinstance(key, str) and (broken := self.key.broken(key)):
                _add(found, path, key, [say.map_keys(broken)])
            if self.value is not None:
                self.value.check(item, (*path, str(key)), found)


@dataclass(eq=False)
class StructureRule:
    required: tuple[str, ...] = ()
    members: dict[str, tuple[str, Rule]] = field(default_factory=dict)  # name -> (as AWS names it, rule)

    def check(self, value: Any, path: Path, found: list[Violation]) -> None:
        if not isinstance(value, Mapping):
            return
        for name in self.required:
            if value.get(name) is None:
                _add(found, (*path, lower_camel(name)), None, [say.NOT_NULL])
        for name, item in value.items():
            if (member := self.members.get(name)) is not None and item is not None:
                member[1].check(item, (*path, member[0]), found)


def lower_camel(name: str) -> str:
    return name[:1].lower() + name[1:]
