"""The documented events (tests/fixtures), and ways to break them: drop or mistype any field, add unknown ones."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hypothesis import strategies as st

from chalicelib.release.events import endpoint_name, firing_alarm
from chalicelib.release.transform_events import transform_job_change
from chalicelib.shared.events import model_package_ref

FIXTURES = Path(__file__).parents[1] / "fixtures"
FieldPath = tuple[str | int, ...]


def fixture(name: str) -> dict[str, Any]:
    event: dict[str, Any] = json.loads((FIXTURES / name).read_text())
    return event


@dataclass(frozen=True)
class Shape:
    """A documented event, the parser of its detail, and the detail fields that parser requires."""

    fixture: str
    parse: Callable[[Any], Any]
    required: tuple[FieldPath, ...]

    @property
    def detail(self) -> dict[str, Any]:
        detail: dict[str, Any] = fixture(self.fixture)["detail"]
        return detail

    def needs(self, path: FieldPath) -> bool:
        """Whether the field at `path` is required, or holds a required field."""
        return any(required[: len(path)] == path for required in self.required)


PACKAGE_FIELDS: tuple[FieldPath, ...] = (("ModelPackageArn",), ("ModelApprovalStatus",))
ALARM_FIELDS: tuple[FieldPath, ...] = (("alarmName",), ("state",), ("state", "value"))
TRANSFORM_JOB_FIELDS: tuple[FieldPath, ...] = (("TransformJobName",), ("TransformJobStatus",))
SHAPES = (
    Shape("aws-docs-model-package-state-change.json", model_package_ref, PACKAGE_FIELDS),
    Shape("aws-docs-model-package-state-change-update.json", model_package_ref, PACKAGE_FIELDS),
    Shape("aws-docs-endpoint-state-change.json", endpoint_name, (("EndpointName",),)),
    Shape("aws-docs-alarm-state-change-single-metric.json", firing_alarm, ALARM_FIELDS),
    Shape("aws-docs-alarm-state-change-anomaly-detection.json", firing_alarm, ALARM_FIELDS),
    Shape("aws-docs-transform-job-state-change.json", transform_job_change, TRANSFORM_JOB_FIELDS),
)


def paths(value: Any, prefix: FieldPath = ()) -> list[FieldPath]:
    """The path of every field and list item inside `value`, outermost first."""
    found: list[FieldPath] = []
    children = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    for key, child in children:
        found.append((*prefix, key))
        found.extend(paths(child, (*prefix, key)))
    return found


def at(value: Any, path: FieldPath) -> Any:
    for key in path:
        value = value[key]
    return value


def without(value: Any, path: FieldPath) -> Any:
    changed = copy.deepcopy(value)
    del at(changed, path[:-1])[path[-1]]
    return changed


def replaced(value: Any, path: FieldPath, new: Any) -> Any:
    changed = copy.deepcopy(value)
    at(changed, path[:-1])[path[-1]] = new
    return changed


SCALARS = st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20)
JSON = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=8,
)


def json_kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int | float):
        return "number"
    return type(value).__name__


def mistyped(original: Any) -> st.SearchStrategy[Any]:
    """Any JSON value of another type than `original` (a string for a number, a list for an object, ...)."""
    return JSON.filter(lambda value: json_kind(value) != json_kind(original))
