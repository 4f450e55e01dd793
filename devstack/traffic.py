"""Customers calling an endpoint all along, as production traffic does: what a canary is measured on.

SageMaker counts every invocation in CloudWatch (the local stack does too, devstack.moto_ext.endpoint_runtime),
and the release engine refuses a canary that served fewer than the policy's `min_canary_invocations`.
"""

from __future__ import annotations

import threading
from typing import Any

from botocore.exceptions import ClientError

SAMPLE = b"120.5,0,1,0,3,14,0.2"  # a transaction, as the policy's smoke test sends one


class Traffic:
    def __init__(self, runtime: Any, endpoint: str, interval: float = 0.01, idle: float = 0.2) -> None:
        self._runtime = runtime
        self._endpoint = endpoint
        self._interval = interval  # between answered calls: ~100 per second at most
        self._idle = idle  # while the endpoint does not exist or does not answer
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"traffic-{endpoint}", daemon=True)
        self.answered = 0

    def start(self) -> Traffic:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()
        if self._thread.is_alive():
            self._thread.join(timeout=5)

    def _run(self) -> None:
        while not self._stopping.is_set():
            try:
                self._runtime.invoke_endpoint(EndpointName=self._endpoint, Body=SAMPLE, ContentType="text/csv")
            except ClientError:
                self._stopping.wait(self._idle)  # no endpoint yet (or it failed the call): customers retry later
                continue
            except Exception:  # noqa: BLE001 - the stack is stopping under us: traffic just ends
                return
            self.answered += 1
            self._stopping.wait(self._interval)
