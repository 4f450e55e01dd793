"""botocore shapes compiled into rules once per (service, API version, shape name), then reused.

Compiling walks the service model (the sagemaker model alone has thousands of shapes): done per
operation on first use and cached, so a request only pays for walking its own params.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Mapping
from typing import Any

from devstack.aws_validation.java_regex import compile_java
from devstack.aws_validation.rules import (
    BlobRule,
    ListRule,
    MapRule,
    NumberRule,
    Rule,
    StringRule,
    StructureRule,
    lower_camel,
)
from devstack.aws_validation.violations import Violation

_cache: dict[tuple[str, str, str], Rule | None] = {}
_lock = threading.RLock()  # the local stack's server compiles from several threads


def input_rule(operation: Any) -> Rule | None:
    """The rule for a botocore OperationModel's input; None when the operation takes nothing."""
    shape = operation.input_shape
    return None if shape is None else rule_for(shape, _service_key(operation.service_model))


def rule_for(shape: Any, service: str) -> Rule | None:
    """One rule per shape name within a service version; None when nothing in it is constrained."""
    key = (service, shape.name, shape.type_name)
    with _lock:
        if key not in _cache:
            _cache[key] = None  # what a recursive reference sees while the shape is compiled
            _cache[key] = _compile(shape, service, key)
        return _cache[key]


def _service_key(service_model: Any) -> str:
    return f"{service_model.service_name}@{service_model.api_version}"


def _compile(shape: Any, service: str, key: tuple[str, str, str]) -> Rule | None:
    meta, kind = shape.metadata, shape.type_name
    low, high = meta.get("min"), meta.get("max")
    if kind == "string":
        return _string_rule(shape) if {"min", "max", "pattern", "enum"} & meta.keys() else None
    if kind in ("integer", "long", "float", "double"):
        return NumberRule(low, high) if low is not None or high is not None else None
    if kind == "blob":
        return BlobRule(low, high) if low is not None or high is not None else None
    if kind == "list":
        return ListRule(low, high, rule_for(shape.member, service))
    if kind == "map":
        key_rule = rule_for(shape.key, service)
        return MapRule(
            low, high, key_rule if isinstance(key_rule, StringRule) else None, rule_for(shape.value, service)
        )
    if kind == "structure" and not getattr(shape, "is_document_type", False):
        structure = StructureRule(required=tuple(shape.required_members))
        _cache[key] = structure  # registered before its members: a member may lead back to it
        for name, member in shape.members.items():
            if (rule := rule_for(member, service)) is not None:
                structure.members[name] = (lower_camel(name), rule)
        return structure
    return None


def _string_rule(shape: Any) -> StringRule:
    meta = shape.metadata
    enum = tuple(shape.enum) if getattr(shape, "enum", None) else ()
    pattern = meta.get("pattern")
    compiled = compile_java(pattern) if pattern else None
    return StringRule(meta.get("min"), meta.get("max"), pattern, compiled, enum, bool(meta.get("sensitive")))


def check_params(operation: Any, params: Mapping[str, Any]) -> list[Violation]:
    """Every constraint of botocore OperationModel `operation` that `params` breaks, in AWS's words."""
    found: list[Violation] = []
    if (rule := input_rule(operation)) is not None:
        rule.check(params, (), found)
    return found


@functools.cache
def service_model(name: str) -> Any:
    import botocore.session

    return botocore.session.get_session().get_service_model(name)
