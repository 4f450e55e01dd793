"""The model's event bus: EventBridge as the use cases meet it, late, twice, out of order, replayed or lost."""

from __future__ import annotations

from contextlib import suppress
from dataclasses import replace

from botocore.exceptions import ClientError
from hypothesis import strategies as st
from hypothesis.stateful import precondition, rule

from chalicelib.gate.service import decide_pending
from chalicelib.release.reactions import on_alarm_firing, on_endpoint_change
from chalicelib.release.rejection import on_rejected
from chalicelib.release.service import on_approved
from chalicelib.shared.errors import ModelPackageNotFoundError, ShepherdError
from chalicelib.shared.model_version import APPROVED, PENDING
from tests.model.world import Event, World

RETRIES = 2  # EventBridge's async invoke retries a failed handler; then the event sits in the DLQ


class EventBus:
    """Rules of GroupLife (a mixin): the queue is `world.queue`; handled events go to `delivered`."""

    world: World
    known: frozenset[str]
    delivered: list[Event]
    lost: list[Event]
    steps: int

    # --- the event bus ---
    @precondition(lambda self: self.world.queue)
    @rule(pick=st.integers(0, 99))
    def deliver(self, pick: int) -> None:
        """Any waiting event, not only the oldest: delays and reordering."""
        self.handle(self.world.queue.pop(pick % len(self.world.queue)))

    @precondition(lambda self: self.world.queue)
    @rule(pick=st.integers(0, 99))
    def duplicate(self, pick: int) -> None:
        self.world.queue.append(self.world.queue[pick % len(self.world.queue)])

    @precondition(lambda self: self.world.queue)
    @rule(pick=st.integers(0, 99))
    def lose(self, pick: int) -> None:
        """Any event, for good (the reconciler's registry sweep makes up for a lost package event)."""
        self.lost.append(self.world.queue.pop(pick % len(self.world.queue)))

    @precondition(lambda self: self.delivered)
    @rule(pick=st.integers(0, 99))
    def replay(self, pick: int) -> None:
        event = self.delivered[pick % len(self.delivered)]
        if event.kind == "package" and event.status == APPROVED and "replayed-approval-restarts" in self.known:
            return
        self.world.emit(replace(event, attempts=0))

    def handle(self, event: Event) -> None:
        self.steps += 1
        try:
            self._dispatch(event)
        except (ClientError, ShepherdError):
            if event.attempts < RETRIES:
                self.world.emit(replace(event, attempts=event.attempts + 1))
            else:
                self.lost.append(event)
            return
        self.delivered.append(event)

    def _dispatch(self, event: Event) -> None:
        deps = self.world.release
        if event.kind == "endpoint":
            on_endpoint_change(event.subject, deps)
        elif event.kind == "alarm":
            on_alarm_firing(event.subject, deps, event.at)
        elif event.status == PENDING:
            decide_pending(event.subject, self.world.gate)
        else:
            with suppress(ModelPackageNotFoundError):  # deleted since the event: the handler skips it
                (on_approved if event.status == APPROVED else on_rejected)(event.subject, deps)
