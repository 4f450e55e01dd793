"""Both DynamoDB tables: there, keyed as the app writes them, with TTL on the attribute it sets.

The keys are those of infra/resources.json (a unit test keeps them equal): Powertools idempotency
keys its records on `id` and sets `expiration`; the state table's items are pk/sk strings with `expires_at`.
"""

from __future__ import annotations

from dataclasses import dataclass

from botocore.exceptions import ClientError

from chalicelib.adapters.aws import error_code
from shepherd_cli.doctor.results import Account, Check, fail, ok, refused, skip


@dataclass(frozen=True)
class ExpectedTable:
    setting: str
    keys: tuple[tuple[str, str], ...]  # (attribute, HASH|RANGE), all strings
    ttl_attribute: str

    @property
    def check_name(self) -> str:
        return "table:" + self.setting.removeprefix("SHEPHERD_").removesuffix("_TABLE").lower()


TABLES = (
    ExpectedTable("SHEPHERD_IDEMPOTENCY_TABLE", (("id", "HASH"),), "expiration"),
    ExpectedTable("SHEPHERD_STATE_TABLE", (("pk", "HASH"), ("sk", "RANGE")), "expires_at"),
)


def check_tables(account: Account) -> list[Check]:
    return [check_table(account, expected) for expected in TABLES]


def check_table(account: Account, expected: ExpectedTable) -> Check:
    name = account.environment.get(expected.setting, "").strip()
    if not name:
        return skip(expected.check_name, f"{expected.setting} is not set")
    dynamodb = account.client("dynamodb")
    try:
        table = dynamodb.describe_table(TableName=name)["Table"]
        ttl = dynamodb.describe_time_to_live(TableName=name)["TimeToLiveDescription"]
    except ClientError as error:
        if error_code(error) == "ResourceNotFoundException":
            return fail(expected.check_name, f"table {name} does not exist: deploy infra/resources.json")
        return refused(expected.check_name, error, f"cannot describe table {name}")
    keys = tuple((key["AttributeName"], key["KeyType"]) for key in table.get("KeySchema", []))
    types = {item["AttributeName"]: item["AttributeType"] for item in table.get("AttributeDefinitions", [])}
    if keys != expected.keys or any(types.get(attribute) != "S" for attribute, _ in expected.keys):
        return fail(expected.check_name, f"table {name} is keyed {_keys(keys)}, the app needs {_keys(expected.keys)}")
    if ttl.get("TimeToLiveStatus") not in ("ENABLED", "ENABLING") or ttl.get("AttributeName") != expected.ttl_attribute:
        return fail(
            expected.check_name,
            f"table {name} has TTL {ttl.get('TimeToLiveStatus', 'DISABLED')} on {ttl.get('AttributeName', 'nothing')}:"
            f" enable it on {expected.ttl_attribute} (UpdateTimeToLive)",
        )
    return ok(expected.check_name, f"table {name}: keys {_keys(keys)}, TTL on {expected.ttl_attribute}")


def _keys(keys: tuple[tuple[str, str], ...]) -> str:
    return "+".join(f"{attribute}({kind})" for attribute, kind in keys) or "(none)"
