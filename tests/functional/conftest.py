"""Every functional test also checks least privilege: each AWS call a handler made is one its own role allows.

Across the whole functional suite, every action a role grants must be used by some recorded call: the
session's end reports the unused ones and fails the run (tests/support/unused_grants.py).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.support import aws_calls, unused_grants
from tests.support.function_roles import rendered_roles
from tests.support.iam_requests import iam_requests
from tests.support.role_check import refused, used_grants

aws_calls.install()  # before the test modules import the handlers


@pytest.fixture(autouse=True)
def _calls_allowed_by_the_functions_roles() -> Iterator[None]:
    aws_calls.take()
    yield
    calls = aws_calls.take()
    if not calls:
        return
    roles = rendered_roles()
    refusals = []
    for call in calls:
        requests = iam_requests(call)
        unused_grants.record(call.function, used_grants(roles[call.function], requests))
        refusals += [
            f"{call.function}: {request.action} on {request.resource} ({call.operation})"
            for request in refused(roles[call.function], requests)
        ]
    assert refusals == [], "the function's role (infra/iam_grants.py) refuses calls its code made"


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    unused_grants.check_at_end(session)
