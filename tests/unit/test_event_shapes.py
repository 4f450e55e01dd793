"""The parsers against the events AWS documents: read as they are, unknown fields ignored, any broken required
field a MalformedEventError naming it, any other change harmless, absurd input refused cheaply."""

from __future__ import annotations

import re
import time
from dataclasses import replace
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chalicelib.release.events import endpoint_name, firing_alarm
from chalicelib.shared.errors import MalformedEventError
from chalicelib.shared.events import model_package_ref
from chalicelib.shared.model_version import PackageRef
from tests.support.event_shapes import JSON, SHAPES, Shape, at, fixture, mistyped, paths, replaced, without

ALARM_TIME = ("state", "timestamp")


def refusal(shape: Shape, detail: Any) -> str | None:
    """The MalformedEventError's message, or None when the detail was read. Any other exception escapes."""
    try:
        shape.parse(detail)
    except MalformedEventError as error:
        return str(error)
    return None


ids = [shape.fixture.removeprefix("aws-docs-").removesuffix(".json") for shape in SHAPES]


def test_each_documented_event_reads_as_what_it_says() -> None:
    created = model_package_ref(fixture("aws-docs-model-package-state-change.json")["detail"])
    updated = model_package_ref(fixture("aws-docs-model-package-state-change-update.json")["detail"])
    assert created == PackageRef(
        "arn:aws:sagemaker:us-east-2:123456789012:model-package/churn-models/2",
        "churn-models",
        2,
        "PendingManualApproval",
    )
    assert (updated.group, updated.version, updated.status) == ("versionedmp-p-idy6c3e1fiqj", 2, "Rejected")
    assert endpoint_name(fixture("aws-docs-endpoint-state-change.json")["detail"]) == "MyEndpoint"
    single = firing_alarm(fixture("aws-docs-alarm-state-change-single-metric.json")["detail"])
    assert single is not None and single.name == "ServerCpuTooHigh" and single.at is not None
    anomaly = fixture("aws-docs-alarm-state-change-anomaly-detection.json")["detail"]
    fired = firing_alarm(anomaly)
    assert fired is not None and fired.name == "EC2 CPU Utilization Anomaly"


def test_an_alarm_back_to_ok_or_without_data_is_not_firing() -> None:
    detail = fixture("aws-docs-alarm-state-change-single-metric.json")["detail"]
    for state in ("OK", "INSUFFICIENT_DATA"):
        assert firing_alarm(replaced(detail, ("state", "value"), state)) is None


@pytest.mark.parametrize("shape", SHAPES, ids=ids)
@settings(deadline=None)
@given(data=st.data())
def test_dropping_or_mistyping_any_field_is_an_error_naming_it_or_changes_nothing(shape: Shape, data: Any) -> None:
    detail = shape.detail
    path = data.draw(st.sampled_from(paths(detail)), label="path")
    if data.draw(st.booleans(), label="drop"):
        broken = without(detail, path)
    else:
        broken = replaced(detail, path, data.draw(mistyped(at(detail, path)), label="value"))
    if shape.needs(path):
        with pytest.raises(MalformedEventError, match=re.escape(str(path[-1]))):
            shape.parse(broken)
    elif path[: len(ALARM_TIME)] == ALARM_TIME and shape.parse is firing_alarm:
        # The alarm's own state-change time: unreadable, it falls back to when we read the alarm.
        fired = shape.parse(detail)
        assert fired is not None and shape.parse(broken) == replace(fired, at=None)
    else:
        assert shape.parse(broken) == shape.parse(detail)


@pytest.mark.parametrize("shape", SHAPES, ids=ids)
@settings(deadline=None)
@given(data=st.data())
def test_any_value_in_a_required_field_is_read_or_refused_clearly(shape: Shape, data: Any) -> None:
    path = data.draw(st.sampled_from(shape.required), label="path")
    value = data.draw(JSON | st.text(alphabet="aZ09-:/ ", max_size=80), label="value")
    refused = refusal(shape, replaced(shape.detail, path, value))
    assert refused is None or str(path[-1]) in refused


@pytest.mark.parametrize("shape", SHAPES, ids=ids)
@settings(deadline=None)
@given(data=st.data())
def test_unknown_fields_anywhere_are_ignored(shape: Shape, data: Any) -> None:
    detail = shape.detail
    objects = [()] + [path for path in paths(detail) if isinstance(at(detail, path), dict)]
    where = data.draw(st.sampled_from(objects), label="where")
    node = at(detail, where)
    key = data.draw(st.text(min_size=1, max_size=12).filter(lambda k: k not in node), label="key")
    extended = replaced(detail, (*where, key), data.draw(JSON, label="value"))
    assert shape.parse(extended) == shape.parse(detail)


@pytest.mark.parametrize("detail", [None, [], "detail", 7, 1.5, True], ids=repr)
@pytest.mark.parametrize("shape", SHAPES, ids=ids)
def test_a_detail_that_is_not_an_object_is_refused(shape: Shape, detail: Any) -> None:
    with pytest.raises(MalformedEventError, match="event detail is not an object"):
        shape.parse(detail)


def deeply_nested(depth: int) -> Any:
    nested: Any = "x"
    for level in range(depth):
        nested = [nested] if level % 2 else {"a": nested}
    return nested


ABSURD = {
    "a 10 MB string": "a" * 10_000_000,
    "a 10 MB string of a valid start": "arn:aws:sagemaker:us-east-1:123456789012:model-package/g/1" + "1" * 10_000_000,
    "200,000 levels of nesting": deeply_nested(200_000),
    "a 5,000-digit number": 10**5000,
    "not a number": float("nan"),
    "infinity": float("inf"),
    "a million-item list": ["x"] * 1_000_000,
}


@pytest.mark.parametrize("value", ABSURD.values(), ids=ABSURD.keys())
@pytest.mark.parametrize("shape", SHAPES, ids=ids)
def test_absurd_values_in_required_fields_are_refused_quickly_with_a_short_message(shape: Shape, value: Any) -> None:
    for path in shape.required:
        started = time.perf_counter()
        with pytest.raises(MalformedEventError, match=re.escape(str(path[-1]))) as raised:
            shape.parse(replaced(shape.detail, path, value))
        assert time.perf_counter() - started < 1.0
        assert len(str(raised.value)) < 300


@pytest.mark.parametrize("shape", SHAPES, ids=ids)
def test_absurd_extra_fields_are_never_read(shape: Shape) -> None:
    detail = {**shape.detail, **{f"extra{index}": index for index in range(100_000)}, "deep": deeply_nested(200_000)}
    assert shape.parse(detail) == shape.parse(shape.detail)


@pytest.mark.parametrize(
    ("version", "why"),
    [
        ("0", "version 0,"),
        ("2147483648", "version 2147483648,"),
        ("9" * 1900, r"version a \d+-bit integer,"),
        ("9" * 5000, "ModelPackageArn is 5057 characters"),
        ("٣", "not a versioned model package ARN"),  # a digit to str.isdigit, not to SageMaker
    ],
)
def test_a_version_sagemaker_cannot_have_is_refused(version: str, why: str) -> None:
    arn = f"arn:aws:sagemaker:us-east-1:123456789012:model-package/g/{version}"
    with pytest.raises(MalformedEventError, match=why):
        model_package_ref({"ModelPackageArn": arn, "ModelApprovalStatus": "Approved"})


@pytest.mark.parametrize("group", ["-g", "g-", "g_h", "a" * 64, "g/h"])
def test_a_group_sagemaker_cannot_have_is_refused(group: str) -> None:
    arn = f"arn:aws:sagemaker:us-east-1:123456789012:model-package/{group}/1"
    with pytest.raises(MalformedEventError, match="model package group"):
        model_package_ref({"ModelPackageArn": arn, "ModelApprovalStatus": "Approved"})


@pytest.mark.parametrize("name", ["", "-x", "x-", "x_y", "a" * 64, "My Endpoint"])
def test_an_endpoint_name_sagemaker_cannot_have_is_refused(name: str) -> None:
    with pytest.raises(MalformedEventError, match="EndpointName"):
        endpoint_name({"EndpointName": name})
