"""`make demo-batch`: a batch release on the local stack, as a readable timeline, then everything stops.

The example group's release made batch (devstack.batch_setup): a good version's smoke transform job scores the
team's sample with the version's own model and the SSM parameter names it; a broken version's job fails and the
parameter keeps the last good value; `shepherd rollback` puts the previous value back. Exits 0 when each step
did what it should, 1 otherwise (the failed step and why, on the timeline).
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path
from typing import Any

from devstack import batch_setup, example_versions, fraud_model, seed
from devstack import demo_steps as steps
from devstack.demo import Step, Timeline
from devstack.demo_variant import run_variant
from devstack.stack import Ready

GROUP = seed.GROUP
FRAUD_SAMPLE = "fraud-transaction"  # the example policy's smoke test whose score must be high


def good_version_published(story: steps.Story) -> None:
    registered = example_versions.register(story.client, fraud_model.GOOD, "good")
    story.arns["good"] = registered.arn
    story.say(f"registered good as v{registered.version} (the seed's create_model_package), through the gate")
    found = _wait_published(story, "good")
    score = batch_setup.scored(story.client, found["model_name"], FRAUD_SAMPLE)
    story.say(f"smoke transform job {found['model_name']}-stg scored the fraudulent sample {score.strip()}")
    if float(score) <= 0.5:
        raise steps.StepFailed(f"the version's own model scored the fraudulent sample {score.strip()}")


def good_again_published(story: steps.Story) -> None:
    _register_approved(story, "good-again")
    _wait_published(story, "good-again")


def broken_keeps_the_last_good_value(story: steps.Story) -> None:
    _register_approved(story, "broken", artifact=False)
    story.say("its model.tar.gz was never uploaded: the smoke transform job has nothing to load")
    story.wait_for("the broken version's release FAILED", lambda: _outcome(story, "broken") == "FAILED", 90)
    kept = _published_version(story)
    story.say(f"release of v{story.version('broken')} FAILED; {batch_setup.parameter_name()} still names v{kept}")
    if kept != story.version("good-again"):
        raise steps.StepFailed(f"the parameter names v{kept}, not the last good v{story.version('good-again')}")


def rollback_puts_the_previous_value_back(story: steps.Story) -> None:
    code = story.cli(["rollback", GROUP, "--reason", "demo: scores drifted", "--by", "demo"])
    if code != 0:
        raise steps.StepFailed(f"shepherd rollback exited {code}")
    story.wait_for("production back on good", lambda: _published_version(story) == story.version("good"))
    story.say(f"{batch_setup.parameter_name()} names v{story.version('good')} again")


STORY: list[Step] = [
    ("create the group the way the seed does", steps.register_group),
    ("a good version: its smoke transform job scores the sample; production names it", good_version_published),
    ("another good version, registered Approved: published", good_again_published),
    ("a broken version: its job fails, the parameter keeps the last good value", broken_keeps_the_last_good_value),
    ("a manual rollback: the previous value back", rollback_puts_the_previous_value_back),
    ("the production history", steps.run_cli("history", GROUP)),
]


def _register_approved(story: steps.Story, name: str, artifact: bool = True) -> None:
    """A version registered already Approved, as a person would; its model uploaded unless `artifact` is False."""
    if artifact:
        body = fraud_model.train(fraud_model.GOOD).artifact()
        story.client("s3").put_object(Bucket=batch_setup.BUCKET, Key=f"models/{name}/output/model.tar.gz", Body=body)
    story.arns[name] = seed.register_version(story.client("sagemaker"), None, name, status="Approved")
    story.say(f"registered {name} as v{story.version(name)}, Approved")


def _wait_published(story: steps.Story, name: str) -> dict[str, Any]:
    version = story.version(name)
    story.wait_for(f"{name} published", lambda: _published_version(story) == version, 90)
    found = batch_setup.published(story.client("ssm")) or {}
    story.say(f"{batch_setup.parameter_name()} = {json.dumps(found)}")
    return found


def _published_version(story: steps.Story) -> int | None:
    found = batch_setup.published(story.client("ssm"))
    return int(found["version"]) if found else None


def _outcome(story: steps.Story, name: str) -> str | None:
    """How the version's release ended, as `shepherd history` shows it."""
    return next((str(row.outcome) for row in story.history() if row.version == story.version(name)), None)


def main() -> int:
    say = Timeline()
    with tempfile.TemporaryDirectory(prefix="shepherd-demo-batch-") as directory:
        release = batch_setup.batch_policies(Path(directory))
        say(f"demo policies: {GROUP}'s release made batch: {json.dumps(release['batch_transform'])}")

        def prepare(ready: Ready, story: steps.Story) -> list[Step]:
            keys = batch_setup.upload_sample(story.client("s3"), release)
            say(f"the team's sample: s3://{batch_setup.BUCKET}/{', '.join(keys)}")
            return STORY

        return run_variant("demo-batch", Path(directory), say, prepare)


if __name__ == "__main__":
    sys.exit(main())
