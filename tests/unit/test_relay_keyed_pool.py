"""The relay's worker pool: one key's events in order, other keys beside them, bounded, nothing lost on stop."""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field

import pytest

from devstack.relay.keyed_pool import KeyedPool
from devstack.relay.ordering import ordering_key


@dataclass
class Recorded:
    name: str
    log: list[str]
    gate: threading.Event | None = None
    released: bool = False
    started: threading.Event = field(default_factory=threading.Event)

    def run(self) -> None:
        self.started.set()
        if self.gate is not None:
            self.gate.wait(5)
        self.log.append(self.name)

    def release(self) -> None:
        self.released = True


def test_tasks_of_one_key_run_in_submission_order() -> None:
    log: list[str] = []
    pool = KeyedPool(workers=4, capacity=64)
    pool.start()
    for index in range(20):
        pool.submit("group-a", Recorded(f"a{index}", log))
    assert pool.join(5)
    pool.stop()
    assert log == [f"a{index}" for index in range(20)]


def test_a_slow_key_does_not_hold_up_another_key() -> None:
    log: list[str] = []
    held = threading.Event()
    pool = KeyedPool(workers=2, capacity=8)
    pool.start()
    slow = Recorded("a1", log, gate=held)
    pool.submit("group-a", slow)
    pool.submit("group-a", Recorded("a2", log))
    pool.submit("group-b", Recorded("b1", log))
    deadline = time.monotonic() + 5
    while "b1" not in log and time.monotonic() < deadline:
        time.sleep(0.01)
    assert log == ["b1"]  # a2 waits behind a1; b1 did not
    held.set()
    assert pool.join(5)
    pool.stop()
    assert log == ["b1", "a1", "a2"]


def test_submit_waits_while_the_pool_is_full() -> None:
    held = threading.Event()
    pool = KeyedPool(workers=1, capacity=2)
    pool.start()
    pool.submit("a", Recorded("a1", [], gate=held))
    pool.submit("b", Recorded("b1", []))
    third = threading.Thread(target=pool.submit, args=("c", Recorded("c1", [])), daemon=True)
    third.start()
    third.join(0.3)
    assert third.is_alive()  # blocked: two tasks wait or run, the capacity
    held.set()
    third.join(5)
    assert not third.is_alive()
    assert pool.join(5)
    pool.stop()


def test_stop_finishes_the_running_task_and_releases_the_unstarted() -> None:
    log: list[str] = []
    held = threading.Event()
    pool = KeyedPool(workers=1, capacity=8)
    pool.start()
    running = Recorded("a1", log, gate=held)
    waiting = [Recorded("a2", log), Recorded("b1", log)]
    pool.submit("a", running)
    for task, key in zip(waiting, ("a", "b"), strict=True):
        pool.submit(key, task)
    assert running.started.wait(5)
    stopper = threading.Thread(target=pool.stop)
    stopper.start()
    time.sleep(0.1)
    held.set()
    stopper.join(5)
    assert log == ["a1"]
    assert [task.released for task in waiting] == [True, True]
    late = Recorded("c1", log)
    assert pool.submit("c", late) is False
    assert late.released
    assert not pool.alive()


def test_a_pool_needs_a_worker_and_room_for_it() -> None:
    with pytest.raises(ValueError, match="at least one worker"):
        KeyedPool(workers=0, capacity=4)


def package_event(arn: str, **detail: str) -> str:
    return json.dumps(
        {"detail-type": "SageMaker Model Package State Change", "detail": {"ModelPackageArn": arn, **detail}}
    )


@pytest.mark.parametrize(
    ("body", "key"),
    [
        (package_event("arn:aws:sagemaker:us-east-1:1:model-package/fraud-models/3"), "group:fraud-models"),
        (package_event("arn:x:model-package/a/1", ModelPackageGroupName="Fraud-Models"), "group:fraud-models"),
        (json.dumps({"detail": {"EndpointName": "fraud-prd", "EndpointStatus": "IN_SERVICE"}}), "endpoint:fraud-prd"),
        (json.dumps({"detail": {"alarmName": "fraud-5xx"}}), "alarm:fraud-5xx"),
        (json.dumps({"detail-type": "Scheduled Event", "detail": {}}), "type:Scheduled Event"),
        ("not json", ""),
        (json.dumps([1, 2]), ""),
    ],
)
def test_events_are_ordered_by_group_endpoint_or_alarm(body: str, key: str) -> None:
    assert ordering_key(body) == key
