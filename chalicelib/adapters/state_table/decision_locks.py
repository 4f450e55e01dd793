"""The once-only lock of Slack decisions: one item per decision in the state table, written conditionally."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from botocore.exceptions import ClientError

from chalicelib.adapters.state_table.items import Item, condition_failed, item_key
from chalicelib.slack.claim import APPLIED, CLAIMED, STALE_AFTER_SECONDS, Claim

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient

SORT_KEY = "lock"
KEEP_SECONDS = 30 * 24 * 3600  # the record of who decided outlives any message's buttons
_CLAIMABLE = "attribute_not_exists(pk) OR (#state = :claimed AND claimed_at < :stale_before)"


class DynamoDecisionLocks:
    def __init__(self, client: DynamoDBClient, table: str, stale_after: float = STALE_AFTER_SECONDS) -> None:
        self._client = client
        self._table = table
        self._stale_after = stale_after

    def claim(self, claim: Claim) -> Claim | None:
        try:
            self._client.put_item(
                TableName=self._table,
                Item=_item(claim),
                ConditionExpression=_CLAIMABLE,
                ExpressionAttributeNames={"#state": "state"},
                ExpressionAttributeValues={
                    ":claimed": {"S": CLAIMED},
                    ":stale_before": {"N": str(claim.claimed_at - self._stale_after)},
                },
                ReturnValuesOnConditionCheckFailure="ALL_OLD",
            )
        except ClientError as error:
            if not condition_failed(error):
                raise
            # ReturnValuesOnConditionCheckFailure puts the holder's item in the error; the stubs do not know it.
            held = cast("Item | None", error.response.get("Item")) or self._read(claim.key)
            # Gone between the failed write and the read (released): report it as held by nobody known.
            return _claim(held) if held else Claim(claim.key, "", "someone else", "Decided", claim.claimed_at)
        return None

    def confirm(self, claim: Claim) -> None:
        self._client.update_item(
            TableName=self._table,
            Key=_key(claim.key),
            UpdateExpression="SET #state = :applied",
            ConditionExpression="claim_id = :mine",
            ExpressionAttributeNames={"#state": "state"},
            ExpressionAttributeValues={":applied": {"S": APPLIED}, ":mine": {"S": claim.claim_id}},
        )

    def release(self, claim: Claim) -> None:
        try:
            self._client.delete_item(
                TableName=self._table,
                Key=_key(claim.key),
                ConditionExpression="claim_id = :mine",  # never free somebody else's claim
                ExpressionAttributeValues={":mine": {"S": claim.claim_id}},
            )
        except ClientError as error:
            if not condition_failed(error):
                raise

    def _read(self, key: str) -> Item | None:
        return self._client.get_item(TableName=self._table, Key=_key(key), ConsistentRead=True).get("Item")


def _key(key: str) -> Item:
    return item_key(key, SORT_KEY)


def _item(claim: Claim) -> Item:
    return {
        **_key(claim.key),
        "claim_id": {"S": claim.claim_id},
        "actor": {"S": claim.actor},
        "action": {"S": claim.action},
        "claimed_at": {"N": repr(claim.claimed_at)},
        "state": {"S": claim.state},
        "expires_at": {"N": str(int(claim.claimed_at) + KEEP_SECONDS)},
    }


def _claim(item: Item) -> Claim:
    return Claim(
        key=item["pk"]["S"],
        claim_id=item["claim_id"]["S"],
        actor=item["actor"]["S"],
        action=item["action"]["S"],
        claimed_at=float(item["claimed_at"]["N"]),
        state=item["state"]["S"],
    )
