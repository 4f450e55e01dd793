"""The story's progressive chapter: a group released as two variants of its production endpoint, the
challenger's share raised step by step (5, 25, 50, 100%) and judged against the champion each step by a
Mann-Whitney comparison of their per-minute latency, on the stack's 60x app clock (a minute is a second).

Customers call the group's production endpoint all along, about 30 a second: at 5% the challenger answers
about one or two requests a minute (too few minutes with one may leave the comparison INCONCLUSIVE, never
a pass, counted towards asking people), at 25% about eight. Its latency regression shows under load: the
demo injects it (the challenger's variant 3x slower, `shepherd-local:latency-ms@Challenger`) as its share
reaches 25%, so the 5% step finds the same latency as the champion's (within the check's 20% tolerance: a
pass) and the 25% step a challenger 3x slower (p well under 0.05: aborted, the challenger's weight back to
0, production on the champion alone).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from devstack import fraud_model, seed
from devstack.demo_steps import StepFailed, Story, expect
from devstack.traffic import Traffic

GROUP = "fraud-detection-progressive"
STAGING, PRODUCTION = "fraud-progressive-staging", "fraud-progressive-prod"
CHAMPION_VARIANT, CHALLENGER = "AllTraffic", "Challenger"
STEPS = [5, 25, 50, 100]
# Of app time (8 s on the demo's clock): the minute the weights move in is one of eight, not one of five.
STEP_MINUTES = 8
# Injected on top of each model's own few milliseconds, large enough that a busy machine's jitter stays small.
CHAMPION_MS, SLOWER_MS = 50, 150
CUSTOMERS = 4  # callers at once, each calling again 50 ms after an answer: about 30 requests a second
LATENCY_CHECK = {"name": "latency", "metric": "ModelLatency", "statistic": "Average", "tolerance": 0.2}
# One measurement a step, over its whole minutes: at least `min_samples` minutes with a request on each variant.
ANALYSIS = {"checks": [LATENCY_CHECK], "interval_seconds": STEP_MINUTES * 60, "min_samples": 4}


def progressive_policy(directory: Path, source_group: str = seed.GROUP) -> Path:
    """The example group's policy for another group: its own endpoints, PROGRESSIVE, judged by its latency."""
    document: dict[str, Any] = json.loads((directory / f"{source_group}.json").read_text(encoding="utf-8"))
    document["group"] = GROUP
    document["description"] = "Fraud detection released progressively: every step judged against the champion."
    release = document["release"]
    release["staging"]["endpoint_name"] = STAGING
    release["production"]["endpoint_name"] = PRODUCTION
    release["deployment"] = {"type": "PROGRESSIVE", "steps": STEPS, "step_minutes": STEP_MINUTES}
    release["analysis"] = ANALYSIS
    release["alarms"] = []
    target = directory / f"{GROUP}.json"
    target.write_text(json.dumps(document, indent=2), encoding="utf-8")
    return target


def champion_live_with_customers(story: Story) -> None:
    seed.create_group(story.client("sagemaker"), group=GROUP)
    story.say(
        f"created {GROUP}: PROGRESSIVE steps {STEPS}, each held {STEP_MINUTES} min and judged on "
        f"{LATENCY_CHECK['statistic']} ModelLatency per minute against the champion (tolerance 20%, "
        f"min_samples {ANALYSIS['min_samples']}, Mann-Whitney p < 0.05 fails)"
    )
    story.register("progressive-v1", fraud_model.GOOD, group=GROUP)
    expect(story.decided("progressive-v1"), "Approved")
    version = story.version("progressive-v1")
    story.wait_for(f"v{version} LIVE", lambda: _live_version(story) == version, timeout=60)
    runtime = story.client("sagemaker-runtime")
    for number in range(CUSTOMERS):
        story.customers[f"{PRODUCTION}-{number}"] = Traffic(runtime, PRODUCTION, interval=0.05).start()
    story.say(f"v{version} LIVE on {PRODUCTION} (a first release: all at once); {CUSTOMERS} customers call it")


def aborted_at_25_percent(story: Story) -> None:
    sagemaker = story.client("sagemaker")
    arn = sagemaker.describe_endpoint(EndpointName=PRODUCTION)["EndpointArn"]
    sagemaker.add_tags(ResourceArn=arn, Tags=[_latency_tag(CHAMPION_VARIANT, CHAMPION_MS)])
    story.register("progressive-v2", fraud_model.BETTER, group=GROUP)
    approved(story, "progressive-v2")
    version, champion = story.version("progressive-v2"), story.version("progressive-v1")
    watch = StepWatch(story, version)
    ended = story.wait_for(f"v{version}'s progressive release to end", lambda: watch.look(arn), timeout=120)
    if ended.stage.value != "ROLLED_BACK" or "aborted at 25%" not in ended.reason:
        raise StepFailed(f"v{version} {ended.stage.value}: {ended.reason}")
    story.say(f"v{version} ROLLED_BACK: {ended.reason[:160]}")
    story.wait_for(f"{PRODUCTION} on v{champion} alone", lambda: watch.weighed() and _champion_alone(story, champion))
    if not watch.weight_zero:
        raise StepFailed(f"the challenger's weight was never seen at 0 on {PRODUCTION}")
    story.say(f"{PRODUCTION} InService on v{champion}'s own config, one variant ({CHAMPION_VARIANT}), as before")


class StepWatch:
    """Says each step, each measurement and the weights as the release goes; injects the regression at 25%."""

    def __init__(self, story: Story, version: int, slow_at: int | None = 25) -> None:
        self.story, self.version, self.slow_at = story, version, slow_at
        self.step, self.results, self.weights = -1, 0, ""
        self.weight_zero = False
        self.steps_seen: list[int] = []

    def look(self, arn: str) -> Any:
        release = self.story.state(GROUP).release
        if release is None or release.version != self.version:
            return None
        self._weights()
        self._results(release)
        if release.stage.value == "PRODUCTION" and release.rollout.step_since and release.rollout.step != self.step:
            self.step = release.rollout.step
            self._stepped(arn)
        return None if release.in_flight else release

    def _stepped(self, arn: str) -> None:
        if self.step >= len(STEPS):
            self.story.say(f"v{self.version} passed every step: production moves to its own config, one variant")
            return
        share = STEPS[self.step]
        self.steps_seen.append(share)
        self.story.say(f"v{self.version} step {self.step + 1} of {len(STEPS)}: the challenger takes {share}%")
        if share == self.slow_at:
            tag = _latency_tag(CHALLENGER, SLOWER_MS)
            self.story.client("sagemaker").add_tags(ResourceArn=arn, Tags=[tag])
            self.story.say(
                f"under 25% of the load v{self.version} slows down: the challenger now answers in "
                f"{SLOWER_MS} ms (injected: {tag['Key']}={tag['Value']}), 3x the champion's {CHAMPION_MS} ms"
            )

    def _results(self, release: Any) -> None:
        for result in release.rollout.results[self.results :]:
            self.story.say(f"v{self.version} judged: {result}")
        self.results = len(release.rollout.results)

    def weighed(self) -> bool:
        self._weights()
        return True

    def _weights(self) -> None:
        variants = self.story.client("sagemaker").describe_endpoint(EndpointName=PRODUCTION)["ProductionVariants"]
        weights = {v["VariantName"]: v.get("CurrentWeight", 0.0) for v in variants}
        shown = ", ".join(f"{name} {weight:g}" for name, weight in sorted(weights.items()))
        if shown != self.weights:
            self.weights = shown
            self.story.say(f"{PRODUCTION} weights: {shown}")
        self.weight_zero = self.weight_zero or (self.step >= 0 and weights.get(CHALLENGER) == 0.0)


def approved(story: Story, name: str, group: str = GROUP) -> None:
    """Better than the champion on AUC; its measured latency on a busy machine may send it to people."""
    outcome = story.decided(name)
    if outcome.startswith("Approved"):
        return
    expect(outcome, "PendingManualApproval")
    version = story.version(name)
    code = story.cli(["approve", group, str(version), "--reason", "AUC well above the champion's", "--by", "demo"])
    if code != 0:
        raise StepFailed(f"shepherd approve exited {code}")
    story.say(f"v{version} went to people (its measured latency, on this busy machine); approved with shepherd")


def _latency_tag(variant: str, milliseconds: int) -> dict[str, str]:
    return {"Key": f"shepherd-local:latency-ms@{variant}", "Value": str(milliseconds)}


def _live_version(story: Story) -> int | None:
    state = story.state(GROUP)
    release = state.release
    if release is not None and release.stage.value in ("FAILED", "ROLLED_BACK"):
        raise StepFailed(f"v{release.version} {release.stage.value}: {release.reason}")
    return state.live.version if state.live is not None else None


def _champion_alone(story: Story, champion: int) -> bool:
    state = story.state(GROUP)
    endpoint = story.client("sagemaker").describe_endpoint(EndpointName=PRODUCTION)
    return bool(
        state.live is not None
        and state.live.version == champion
        and endpoint["EndpointStatus"] == "InService"
        and endpoint["EndpointConfigName"] == state.live.config
        and [v["VariantName"] for v in endpoint["ProductionVariants"]] == [CHAMPION_VARIANT]
    )
