"""A batch release on the local stack, over the wire, on a real model: the example group's policy made batch.
A good version's smoke transform job scores the sample objects in local S3 with the version's own model and the
production parameter names it; a broken version's job fails and the parameter keeps the last good value; the CLI
rolls production back to the version before."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from devstack import batch_setup, example_versions, fraud_model, seed
from tests.support import targets
from tests.support.local_stack import RunningStack, start_stack, wait_for
from tests.support.targets import live_version, shepherd

pytestmark = pytest.mark.e2e
GROUP = seed.GROUP


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningStack]:
    policies = tmp_path_factory.mktemp("policies")
    release = batch_setup.batch_policies(policies)
    running = start_stack("--policy-dir", str(policies), "--clock-speed", "300")
    seed.create_group(running.client("sagemaker"))
    batch_setup.upload_sample(running.client("s3"), release)
    yield running
    running.stop()


def published(stack: RunningStack) -> dict[str, Any] | None:
    return targets.published(stack.client("ssm"))


def published_version(stack: RunningStack) -> int | None:
    found = published(stack)
    return found["version"] if found else None


def approved(stack: RunningStack, name: str, artifact: bool = True) -> int:
    """A version registered already Approved (as a person would), its model uploaded unless `artifact` is False."""
    if artifact:
        body = fraud_model.train(fraud_model.GOOD).artifact()
        stack.client("s3").put_object(Bucket="my-bucket", Key=f"models/{name}/output/model.tar.gz", Body=body)
    arn = seed.register_version(stack.client("sagemaker"), None, name, status="Approved")
    return int(arn.rsplit("/", 1)[1])


def test_a_batch_release_publishes_a_broken_one_keeps_the_last_good_value_and_the_cli_rolls_back(
    stack: RunningStack,
) -> None:
    first = example_versions.register(stack.client, fraud_model.GOOD, "good").version  # through the gate
    wait_for(lambda: live_version(stack) == first and published_version(stack) == first, 90)
    model = (published(stack) or {})["model_name"]
    # the version's own model scored the fraudulent sample
    assert float(batch_setup.scored(stack.client, model, "fraud-transaction")) > 0.5

    second = approved(stack, "good-again")
    wait_for(lambda: published_version(stack) == second, 90)

    broken = approved(stack, "broken", artifact=False)
    wait_for(lambda: _outcome(stack, broken) == "FAILED", 90)
    assert published_version(stack) == second  # the last good value

    rolled = shepherd(stack, "rollback", GROUP, "--reason", "scores drifted", "--by", "e2e")
    assert rolled.returncode == 0, rolled.stderr
    assert published_version(stack) == first


def _outcome(stack: RunningStack, version: int) -> str | None:
    history = json.loads(shepherd(stack, "history", GROUP, "--json").stdout)
    rows = history if isinstance(history, list) else history.get("rows", history.get("history", []))
    return next((row.get("outcome") for row in rows if row.get("version") == version), None)
