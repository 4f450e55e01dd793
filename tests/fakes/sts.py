"""STS that refuses chosen roles as AWS does (AccessDenied) and passes every other AssumeRole to moto's."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from botocore.exceptions import ClientError


@dataclass
class RefusingSts:
    real: Any  # moto's STS client: it assumes any role
    refused: set[str] = field(default_factory=set)  # role ARNs whose trust no longer names the app

    def assume_role(self, **request: Any) -> Any:
        if request["RoleArn"] in self.refused:
            message = f"User is not authorized to perform: sts:AssumeRole on resource: {request['RoleArn']}"
            response: Any = {"Error": {"Code": "AccessDenied", "Message": message}}
            raise ClientError(response, "AssumeRole")
        return self.real.assume_role(**request)
