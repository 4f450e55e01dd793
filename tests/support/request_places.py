"""Where every AWS request went: (service, operation, account, region), read from the request as signed.

The account is the one moto answers for: the signing access key's (credentials from AssumeRole belong to the
role's account). A `before-send` hook on every botocore session made while recording, the stage sessions too.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

SCOPE = re.compile(r"Credential=([^/]+)/\d+/([^/]+)/")


@dataclass(frozen=True)
class SentTo:
    service: str
    operation: str
    account: str
    region: str


@contextmanager
def recording() -> Iterator[list[SentTo]]:
    from botocore import handlers

    sent: list[SentTo] = []

    def record(request: Any, event_name: str, **_: Any) -> None:
        from moto.iam.models import get_account_id_from

        service, operation = event_name.split(".", 2)[1:]
        authorization = request.headers.get("Authorization", b"")
        found = SCOPE.search(authorization.decode() if isinstance(authorization, bytes) else authorization)
        assert found, f"{service}.{operation} was sent unsigned"
        sent.append(SentTo(service, operation, get_account_id_from(found.group(1)), found.group(2)))

    entry = ("before-send", record)
    handlers.BUILTIN_HANDLERS.append(entry)
    try:
        yield sent
    finally:
        handlers.BUILTIN_HANDLERS.remove(entry)
