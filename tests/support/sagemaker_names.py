"""SageMaker's own rules for names, read from botocore's service model (not copied), and names that follow them."""

from __future__ import annotations

import re
from functools import cache
from typing import Any

import botocore.session
from hypothesis import strategies as st

_ALNUM = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
# Which request member each kind of name travels in.
MEMBERS = {
    "group": ("CreateModelPackageGroup", "ModelPackageGroupName"),
    "model": ("CreateModel", "ModelName"),
    "endpoint-config": ("CreateEndpointConfig", "EndpointConfigName"),
    "endpoint": ("CreateEndpoint", "EndpointName"),
}


@cache
def _shape(kind: str) -> dict[str, Any]:
    operation, member = MEMBERS[kind]
    model = botocore.session.get_session().get_service_model("sagemaker")
    shape = model.operation_model(operation).input_shape
    assert shape is not None
    metadata: dict[str, Any] = shape.members[member].metadata
    return metadata


def problems(kind: str, name: str) -> list[str]:
    """What AWS would refuse about `name` as a `kind` name; empty when it is valid."""
    shape = _shape(kind)
    found = []
    if not shape.get("min", 0) <= len(name) <= shape["max"]:
        found.append(f"{len(name)} characters, outside {shape.get('min', 0)}..{shape['max']}")
    if not re.fullmatch(shape["pattern"], name):
        found.append(f"does not match {shape['pattern']}")
    return found


def group_names(min_size: int = 1) -> st.SearchStrategy[str]:
    """Every model package group name SageMaker accepts (1-63 of its pattern), long ones often."""
    shape = _shape("group")
    alnum = st.sampled_from(_ALNUM)
    pieces = st.lists(st.tuples(st.text("-", max_size=3), alnum), max_size=70)
    names = st.builds(lambda head, rest: head + "".join(dashes + char for dashes, char in rest), alnum, pieces)
    return names.map(lambda name: name[: shape["max"]].rstrip("-")).filter(lambda name: len(name) >= min_size)
