"""The deployment package, built once per test run (or taken from `make test`, which builds it first)."""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from infra.names import PROJECT
from tests.support.package import Package


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # Everything here is infrastructure: `-m "not slow"` (and `make unit`) leave it out.
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.slow)


@pytest.fixture(scope="session")
def package(tmp_path_factory: pytest.TempPathFactory) -> Package:
    given = os.environ.get("SHEPHERD_PACKAGE_DIR")
    if given:
        directory = Path(given) if Path(given).is_absolute() else PROJECT / given
        if (directory / "sam.json").is_file():
            return Package(directory)
    # Shared by the xdist workers of this run: the first builds, the others wait on the lock and reuse it.
    shared = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        shared = shared.parent  # the run's directory, above each worker's own
    with _locked(shared / "package.lock"):
        directory = shared / "package-prod"
        if not (directory / "sam.json").is_file():
            from infra.package import build

            build("prod", directory)
    return Package(directory)


@pytest.fixture(scope="session")
def template(package: Package) -> dict[str, Any]:
    return package.template


@contextmanager
def _locked(path: Path) -> Iterator[None]:
    with path.open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
