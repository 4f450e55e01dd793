"""The gate at most once per version and status, whatever the event's id (Powertools idempotency).

EventBridge may deliver an event twice, and every approval change fires one: the key is the package
and its status, so a duplicate, a retry or our own follow-up event never decides a version twice.

A duplicate that arrives while the first delivery is still deciding is answered as a no-op, not an
error (an error would be retried, and would count against the errors alarm). No decision is lost:
- the first delivery finishes: it applied the decision and recorded it on the package
  (`shepherd:outcome`), which every later delivery reads back;
- the first raises: Powertools deletes its in-progress record, and Lambda retries the first's own
  event, then keeps it in the dead-letter queue (`shepherd replay`);
- the first dies (timeout, out of memory): its in-progress record expires with the first's remaining
  time (`register_lambda_context`), that is by the first's deadline. Lambda retries the first's own
  event no sooner than RETRY_DELAY_SECONDS after it died, so with a timeout no longer than that the
  retry finds the lock expired and decides; after its retries the event is kept in the dead-letter queue.
Without a Lambda context the in-progress record would only expire with the whole record (a day), so a
no-op could hide a decision nobody retries: then the duplicate raises DecisionInProgressError instead.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from aws_lambda_powertools.utilities.idempotency import (
    DynamoDBPersistenceLayer,
    IdempotencyConfig,
    idempotent_function,
)
from aws_lambda_powertools.utilities.idempotency.exceptions import IdempotencyAlreadyInProgressError
from aws_lambda_powertools.utilities.idempotency.serialization.custom_dict import CustomDictSerializer

from chalicelib.gate.result import GateResult
from chalicelib.gate.service import GateDeps, decide_pending
from chalicelib.shared.errors import DecisionInProgressError
from chalicelib.shared.model_version import PENDING
from chalicelib.shared.observability import count, logger

IDEMPOTENCY_WINDOW_SECONDS = 24 * 3600  # past it, the decision recorded on the package still holds
# Lambda waits a minute before retrying a failed asynchronous invocation: the gate's timeout must not
# exceed it (tests/infra holds the template to that), so a dead first's lock is gone when its retry comes.
RETRY_DELAY_SECONDS = 60
DUPLICATE_IN_PROGRESS = "a duplicate delivery: the first one is deciding this version"


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
        try:
            return self._decide(key={"arn": arn, "status": status})
        except IdempotencyAlreadyInProgressError:
            if lambda_context is None:
                raise DecisionInProgressError(f"{arn} is being decided by another invocation: retry later") from None
            logger.info("gate duplicate in progress", extra={"why": DUPLICATE_IN_PROGRESS})
            count("DuplicateInProgress")
            return GateResult.skip(arn, DUPLICATE_IN_PROGRESS)

    def decide_pending(self, arn: str) -> None:
        """The registry sweep's way in (PendingGate): a Pending version whose event was lost."""
        self.decide(arn, PENDING)
