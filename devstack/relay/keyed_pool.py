"""A bounded pool of worker threads that runs tasks of one key in order and tasks of different keys at once.

The relay hands it one task per event, keyed by the event's model package group (or endpoint): a group's
events keep their order, as one serial handler would, while other groups' events run beside them.
`submit` blocks while `capacity` tasks wait or run, so a burst stays in SQS rather than in memory.
"""

from __future__ import annotations

import threading
from collections import deque
from typing import Protocol


class Task(Protocol):
    def run(self) -> None: ...

    def release(self) -> None:
        """Give the work back unstarted (the pool is stopping): it must not be lost."""


class KeyedPool:
    def __init__(self, workers: int, capacity: int, name: str = "relay-worker") -> None:
        if workers < 1 or capacity < workers:
            raise ValueError("a pool needs at least one worker and room for a task per worker")
        self._capacity = capacity
        self._waiting: dict[str, deque[Task]] = {}  # per key, in submission order
        self._ready: deque[str] = deque()  # keys with a waiting task and none running
        self._running: set[str] = set()
        self._count = 0  # tasks submitted and not yet finished or released
        self._stopping = False
        self._changed = threading.Condition()
        self._threads = [threading.Thread(target=self._work, name=f"{name}-{n}", daemon=True) for n in range(workers)]

    def start(self) -> None:
        for thread in self._threads:
            if thread.ident is None:  # once: a second start (a test's poll after the stack's) is a no-op
                thread.start()

    def submit(self, key: str, task: Task) -> bool:
        """Queue `task` behind the other tasks of `key`; False (task released) when the pool is stopping."""
        with self._changed:
            while self._count >= self._capacity and not self._stopping:
                self._changed.wait()
            if self._stopping:
                task.release()
                return False
            self._count += 1
            if key not in self._waiting and key not in self._running:
                self._ready.append(key)
            self._waiting.setdefault(key, deque()).append(task)
            self._changed.notify_all()
            return True

    def join(self, timeout: float | None = None) -> bool:
        """Wait until every submitted task has finished; False on timeout."""
        with self._changed:
            return self._changed.wait_for(lambda: self._count == 0, timeout)

    def stop(self, timeout: float = 30.0) -> None:
        """Tasks running finish; tasks not started are released; returns once the workers have ended."""
        with self._changed:
            self._stopping = True
            unstarted = [task for tasks in self._waiting.values() for task in tasks]
            self._count -= len(unstarted)
            self._waiting.clear()
            self._ready.clear()
            self._changed.notify_all()
        for task in unstarted:
            task.release()
        for thread in self._threads:
            if thread.is_alive():
                thread.join(timeout)

    def alive(self) -> bool:
        return all(thread.is_alive() for thread in self._threads)

    def _work(self) -> None:
        while (taken := self._take()) is not None:
            key, task = taken
            try:
                task.run()
            finally:
                self._finish(key)

    def _take(self) -> tuple[str, Task] | None:
        with self._changed:
            self._changed.wait_for(lambda: self._ready or self._stopping)
            if self._stopping:
                return None
            key = self._ready.popleft()
            tasks = self._waiting[key]
            task = tasks.popleft()
            if not tasks:
                del self._waiting[key]
            self._running.add(key)
            return key, task

    def _finish(self, key: str) -> None:
        with self._changed:
            self._running.discard(key)
            self._count -= 1
            if key in self._waiting:  # the next of this key may run now, after this one
                self._ready.append(key)
            self._changed.notify_all()
