"""The gate at most once per version and status, whatever the event's id (Powertools idempotency).

EventBridge may deliver an event twice, and every approval change fires one: the key is the package
and its status, so a duplicate, a retry or our own follow-up event never decides a version twice.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from aws_lambda_powertools.utilities.idempotency import (
    DynamoDBPersistenceLayer,
    IdempotencyConfig,
    idempotent_function,
)
from aws_lambda_powertools.utilities.idempotency.serialization.custom_dict import CustomDictSerializer

from chalicelib.gate.result import GateResult
from chalicelib.gate.service import GateDeps, decide_pending

IDEMPOTENCY_WINDOW_SECONDS = 24 * 3600  # past it, the decision recorded on the package still holds


class OnceGate:
    def __init__(self, deps: GateDeps, table_name: str, dynamodb: Any) -> None:
        self._config = IdempotencyConfig(
            event_key_jmespath="[arn, status]",
            raise_on_no_idempotency_key=True,
            expires_after_seconds=IDEMPOTENCY_WINDOW_SECONDS,
        )

        def gate_decision(key: dict[str, str]) -> GateResult:
            return decide_pending(key["arn"], deps)

        self._decide: Callable[..., GateResult] = idempotent_function(
            gate_decision,
            data_keyword_argument="key",
            persistence_store=DynamoDBPersistenceLayer(table_name=table_name, boto3_client=dynamodb),
            config=self._config,
            # The record holds the Lambda's JSON result; a repeat reads it back as a GateResult.
            output_serializer=CustomDictSerializer(to_dict=GateResult.as_dict, from_dict=GateResult.from_dict),
        )

    def decide(self, arn: str, status: str, lambda_context: Any = None) -> GateResult:
        if lambda_context is not None:
            # Lets an invocation that dies mid-decision free its lock when its time is up.
            self._config.register_lambda_context(lambda_context)
        return self._decide(key={"arn": arn, "status": status})
