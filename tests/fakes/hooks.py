"""A stand-in for the rollout hooks' port: answers scripted per hook, every payload it was sent kept."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from chalicelib.hooks.answer import HookResult
from chalicelib.hooks.policy import HookTarget
from chalicelib.hooks.record import PROCEED


@dataclass
class FakeHooks:
    """Each hook answers from its list in order (the last answer repeats); an unscripted hook proceeds."""

    answers: dict[str, list[HookResult]] = field(default_factory=dict)
    sent: list[dict[str, Any]] = field(default_factory=list)

    def call(self, target: HookTarget, body: bytes) -> HookResult:
        self.sent.append(json.loads(body))
        queue = self.answers.get(target.hook) or [HookResult(PROCEED)]
        return queue.pop(0) if len(queue) > 1 else queue[0]

    def asked(self, hook: str) -> list[dict[str, Any]]:
        return [payload for payload in self.sent if payload["hook"] == hook]
