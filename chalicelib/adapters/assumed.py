"""A stage's credentials: STS AssumeRole on its deploy role, kept until shortly before they expire and renewed by
botocore before the request that would need them. A botocore session holding only these credentials: if they
cannot be had, no request is sent, never one signed with the app's own credentials in another account."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from chalicelib.adapters.aws import error_code, error_message
from chalicelib.release.placement import Placement
from chalicelib.shared.errors import StageAccessError, StageUnreachableError

SESSION_SECONDS = 3600  # STS's default; botocore renews 15 minutes before the end (10 at the latest)


def assumed_session(
    place: Placement,
    stage: str,
    sts: Callable[[], Any],
    clock: Callable[[], datetime] | None = None,
    session_policy: str | None = None,
) -> Any:
    """A botocore session whose only credentials are the stage's assumed role's (the role is assumed now:
    a refusal is raised here, naming the stage, not from the middle of a later call)."""
    import botocore.session
    from botocore.credentials import CredentialProvider, CredentialResolver, RefreshableCredentials

    refresh = _refresher(place, stage, sts, session_policy)
    first = refresh()
    credentials = RefreshableCredentials(
        first["access_key"],
        first["secret_key"],
        first["token"],
        datetime.fromisoformat(first["expiry_time"]),
        refresh,
        "sts-assume-role",
        time_fetcher=clock or _utc_now,
    )

    class Assumed(CredentialProvider):
        METHOD = "sts-assume-role"

        def load(self) -> RefreshableCredentials:
            return credentials

    session = botocore.session.Session()
    session.register_component("credential_provider", CredentialResolver(providers=[Assumed()]))
    return session


def _utc_now() -> datetime:
    return datetime.now(UTC)


def session_name(stage: str) -> str:
    """STS's RoleSessionName (2-64 of [\\w+=,.@-]): CloudTrail in the target account shows who acted and why."""
    return f"model-shepherd-{stage}"[:64]


def _refresher(
    place: Placement, stage: str, sts: Callable[[], Any], session_policy: str | None
) -> Callable[[], dict[str, str]]:
    assert place.role_arn is not None
    where = place.describe(stage)
    request: dict[str, Any] = {
        "RoleArn": place.role_arn,
        "RoleSessionName": session_name(stage),
        "DurationSeconds": SESSION_SECONDS,
    }
    if place.external_id:
        request["ExternalId"] = place.external_id
    if session_policy:
        request["Policy"] = session_policy

    def refresh() -> dict[str, str]:
        try:
            answer = sts().assume_role(**request)
        except ClientError as error:
            raise StageAccessError(
                f"{where}: AssumeRole refused: {error_code(error)}: {error_message(error)}"
            ) from None
        except BotoCoreError as error:  # STS itself unreachable: nothing is sent to the stage
            raise StageUnreachableError(f"{where}: AssumeRole failed: {error}") from None
        account = answer["AssumedRoleUser"]["Arn"].split(":")[4]
        if place.target_account and account != place.target_account:
            raise StageAccessError(f"{where}: AssumeRole gave credentials of account {account}: nothing is sent")
        granted = answer["Credentials"]
        return {
            "access_key": granted["AccessKeyId"],
            "secret_key": granted["SecretAccessKey"],
            "token": granted["SessionToken"],
            "expiry_time": granted["Expiration"].isoformat(),
        }

    return refresh
