"""Where `make local` leaves its environment, so that `shepherd --local` (and the devstack helpers) find the
stack without anyone copying its exports.

The file is shell-sourceable (`export NAME=VALUE` lines) and names the process that wrote it; the stack
removes it when it stops. A command pointed at the stack by AWS_ENDPOINT_URL alone also finds the rest of
its settings here (the tables, the topic, the fake Slack).
"""

from __future__ import annotations

import os
import shlex
from collections.abc import Mapping, MutableMapping
from pathlib import Path

ENV_FILE = Path(__file__).resolve().parents[1] / "build" / "local-stack.env"


def env_file() -> Path:
    """The file `make local` writes and `shepherd --local` reads (SHEPHERD_LOCAL_ENV_FILE moves it)."""
    return Path(os.environ.get("SHEPHERD_LOCAL_ENV_FILE") or ENV_FILE)


class LocalStackNotFoundError(Exception):
    """No local stack has written its environment (is `make local` running?)."""


def write(environment: Mapping[str, str], path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = [f"# written by `make local` (process {os.getpid()}); removed when it stops"]
    lines += [f"export {name}={shlex.quote(value)}" for name, value in sorted(environment.items())]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def read(path: Path) -> dict[str, str]:
    if not path.is_file():
        raise LocalStackNotFoundError(f"no local stack environment at {path}: start one with `make local`")
    found = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("export ") and "=" in line:
            name, value = line.removeprefix("export ").split("=", 1)
            found[name] = shlex.split(value)[0] if value else ""
    return found


def remove(path: Path) -> None:
    """Only the file this process wrote: a newer stack's is left alone."""
    if path.is_file() and f"(process {os.getpid()})" in path.read_text(encoding="utf-8"):
        path.unlink()


def apply(environ: MutableMapping[str, str], required: bool, path: Path | None = None) -> bool:
    """Put the local stack's environment into environ: all of it when required (`--local`); otherwise only
    when environ already points at that stack (its AWS_ENDPOINT_URL), and only what environ does not set."""
    try:
        found = read(path or env_file())
    except LocalStackNotFoundError:
        if required:
            raise
        return False
    if required:
        environ.update(found)
        return True
    if environ.get("AWS_ENDPOINT_URL") and environ.get("AWS_ENDPOINT_URL") == found.get("AWS_ENDPOINT_URL"):
        for name, value in found.items():
            environ.setdefault(name, value)
        return True
    return False
