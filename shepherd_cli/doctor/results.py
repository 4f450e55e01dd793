"""One line per check: its name, whether it passed, and what to do when it did not."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from botocore.exceptions import ClientError

from chalicelib.adapters.aws import error_code

Status = Literal["ok", "FAIL", "skip"]


@dataclass(frozen=True)
class Check:
    name: str
    status: Status
    reason: str

    @property
    def failed(self) -> bool:
        return self.status == "FAIL"


def ok(name: str, reason: str) -> Check:
    return Check(name, "ok", reason)


def fail(name: str, reason: str) -> Check:
    return Check(name, "FAIL", reason)


def skip(name: str, reason: str) -> Check:
    return Check(name, "skip", reason)


def refused(name: str, error: ClientError, what: str) -> Check:
    """AWS said no: the code, never the message (it may quote a request value)."""
    return fail(name, f"{what}: AWS answered {error_code(error)}")


@dataclass(frozen=True)
class Account:
    """What every check reads: the stage, its settings (names, never secrets) and a client per service."""

    stage: str
    environment: Mapping[str, str]
    client: Callable[[str], Any]
    project: Path
