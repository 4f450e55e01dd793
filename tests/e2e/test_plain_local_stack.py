"""Plain `make local` (no options but its ports) releases the example group: a version registered with the
seed's calls and a real artifact goes LIVE; one whose image nobody can run fails its smoke tests with a reason
saying what to do. `shepherd --local` and `devstack.register_example` find the stack through the environment
file it writes; the local clock control makes a version old."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from devstack import seed
from tests.support.local_stack import ROOT, RunningStack, start_stack, wait_for

pytestmark = pytest.mark.e2e
GROUP = seed.GROUP
CUSTOM_IMAGE = "123456789012.dkr.ecr.us-east-1.amazonaws.com/fraud-scorer:2"


@pytest.fixture(scope="module")
def env_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("local") / "local-stack.env"


@pytest.fixture(scope="module")
def stack(env_file: Path) -> Iterator[RunningStack]:
    running = start_stack("--env-file", str(env_file))  # the example policy as written, no endpoint answers
    yield running
    running.stop()


def bare_environment(env_file: Path) -> dict[str, str]:
    """A new terminal: no AWS or shepherd settings at all, only where the stack's file is."""
    kept = {name: value for name, value in os.environ.items() if not name.startswith(("AWS_", "SHEPHERD_"))}
    return {**kept, "SHEPHERD_LOCAL_ENV_FILE": str(env_file)}


def shepherd(env_file: Path, *argv: str) -> subprocess.CompletedProcess[str]:
    command = [".venv/bin/shepherd", "--local", *argv]
    return subprocess.run(command, cwd=ROOT, env=bare_environment(env_file), capture_output=True, text=True, timeout=60)


def register_example(env_file: Path, *argv: str) -> dict[str, Any]:
    command = [sys.executable, "-m", "devstack.register_example", *argv]
    done = subprocess.run(
        command, cwd=ROOT, env=bare_environment(env_file), capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    registered: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return registered


def newest_release(env_file: Path) -> dict[str, Any]:
    listed = shepherd(env_file, "history", GROUP, "--json")
    rows: list[dict[str, Any]] = json.loads(listed.stdout)["history"] if listed.returncode == 0 else []
    return rows[0] if rows else {}


def test_the_stack_writes_its_environment_for_shepherd_local(stack: RunningStack, env_file: Path) -> None:
    text = env_file.read_text()
    assert f"export AWS_ENDPOINT_URL={stack.aws_url}" in text and "SHEPHERD_STATE_TABLE" in text
    assert shepherd(env_file, "slack", "messages").returncode == 0  # the fake Slack, found through the file


def test_shepherd_local_replay_finds_the_stacks_dead_letter_queue(env_file: Path) -> None:
    assert "export SHEPHERD_DLQ_URL=" in env_file.read_text()
    replayed = shepherd(env_file, "replay", "--json")
    assert replayed.returncode == 0, replayed.stderr
    document = json.loads(replayed.stdout)
    assert document["queue"].endswith("/model-shepherd-local-dlq") and document["messages"] == []


def test_an_image_nobody_can_run_fails_its_smoke_tests_saying_what_to_do(stack: RunningStack, env_file: Path) -> None:
    sagemaker = stack.client("sagemaker")
    seed.create_group(sagemaker)
    uri = seed.upload_metrics(stack.client("s3"), "my-bucket", "custom", seed.GOOD)
    seed.register_version(sagemaker, uri, "custom", image=CUSTOM_IMAGE)
    wait_for(lambda: newest_release(env_file).get("outcome") == "FAILED", 40)
    reason = newest_release(env_file)["reason"]
    assert "smoke tests failed" in reason and "cannot run image" in reason
    assert "--endpoint-response fraud-detection-staging=BODY" in reason


def test_a_trained_example_version_goes_live_with_plain_make_local(stack: RunningStack, env_file: Path) -> None:
    registered = register_example(env_file, "v-live")
    version = registered["version"]
    assert registered["metrics"]["auc"] > 0.9 and registered["metrics"]["latency_p99_ms"] > 0
    wait_for(lambda: newest_release(env_file).get("version") == version, 30)
    wait_for(lambda: newest_release(env_file).get("outcome") == "LIVE", 40)
    answer = stack.client("sagemaker-runtime").invoke_endpoint(
        EndpointName="fraud-detection-prod", Body=b"9800.0,1,0,1,0,3,0.9", ContentType="text/csv"
    )
    assert float(answer["Body"].read()) > 0.9


def test_the_local_clock_control_makes_a_version_old(stack: RunningStack, env_file: Path) -> None:
    registered = register_example(env_file, "v-old", "--recipe", "bad", "--age-days", "90")
    created = stack.client("sagemaker").describe_model_package(ModelPackageName=registered["arn"])["CreationTime"]
    from datetime import UTC, datetime

    assert (datetime.now(UTC) - created).days in (89, 90)
