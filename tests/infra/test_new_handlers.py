"""A handler added later (a schedule, an HTTP route, another EventBridge rule) gets its infra without edits."""

from __future__ import annotations

import shutil
from typing import Any

import pytest

from infra.iam_rules import template_policies, violations
from infra.package import build
from infra.template import functions
from tests.support.package import Package

EXTRA_HANDLERS = """

# Names no real handler uses, so the probe never collides with what the app grows.
@app.schedule("rate(15 minutes)", name="probeschedule")
def probe_schedule(event: Any) -> None:
    return None


@app.on_cw_event({"source": ["aws.sagemaker"], "detail-type": ["Probe State Change"]}, name="probeevents")
def probe_events(event: Any) -> None:
    return None


@app.route("/probe", methods=["POST"])
def probe_route() -> dict[str, Any]:
    return {}
"""


@pytest.fixture(scope="module")
def grown(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    from infra.names import PROJECT

    project = tmp_path_factory.mktemp("grown")
    for name in ("app.py", "requirements.txt"):
        shutil.copy(PROJECT / name, project / name)
    for name in ("chalicelib", "policies", ".chalice", "infra"):
        shutil.copytree(PROJECT / name, project / name, ignore=shutil.ignore_patterns("policies", "__pycache__"))
    with (project / "app.py").open("a") as app:
        app.write(EXTRA_HANDLERS)
    build("prod", project / "build" / "package", project)
    return Package(project / "build" / "package").template


def test_new_event_handlers_get_retries_a_destination_and_an_alarm(grown: dict[str, Any]) -> None:
    found = dict(functions(grown))
    assert {"Gate", "Probeschedule", "Probeevents", "APIHandler"} <= set(found)
    for name in ("Gate", "Probeschedule", "Probeevents"):
        properties = found[name]["Properties"]
        assert properties["EventInvokeConfig"]["DestinationConfig"]["OnFailure"]["Type"] == "SQS", name
        (event,) = properties["Events"].values()
        assert "DeadLetterConfig" in event["Properties"], name
    assert "EventInvokeConfig" not in found["APIHandler"]["Properties"]  # invoked synchronously by API Gateway
    for name in found:
        assert f"{name}ErrorsAlarm" in grown["Resources"], name
    assert found["APIHandler"]["Properties"]["FunctionName"] == "model-shepherd-prod"
    assert found["Probeschedule"]["Properties"]["FunctionName"] == "model-shepherd-prod-probe_schedule"
    assert all(violations(document) == [] for _, document in template_policies(grown))
