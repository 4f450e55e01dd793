"""SQS messages that tell whether they are visible without building two datetimes each time.

moto 5.2.5 asks every message of a queue, on every ReceiveMessage (and again while a long poll waits),
whether it is visible and whether it is delayed, each through ``unix_time_millis()`` (a naive utcnow
minus a datetime for the epoch): about 7 ms per 500 messages. In a burst the relay's queues hold
hundreds of messages, and the scans held the one process's GIL from every handler. The same instant,
read from ``time.time()``.
"""

from __future__ import annotations

import time
from typing import Any

from devstack.moto_ext.patching import Patch, Replace

GAP = "every receive reads the clock through datetimes, per message"


def patches() -> list[Patch]:
    from moto.sqs.models import Message

    return [
        Replace(Message, "visible", property(_visible), gap=GAP),
        Replace(Message, "delayed", property(_delayed), gap=GAP),
    ]


def _now_millis() -> float:
    return time.time() * 1000.0  # what moto's unix_time_millis() computes, the same clock


def _visible(message: Any) -> bool:
    return bool(_now_millis() > message.visible_at)


def _delayed(message: Any) -> bool:
    return bool(_now_millis() < message.delayed_until)
