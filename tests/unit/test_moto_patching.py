"""devstack.moto_ext.patching: one wrapper per method from layers in declared order, undone on request."""

from __future__ import annotations

from typing import Any

import pytest

from devstack.moto_ext.patching import Add, Method, Patcher, Replace, Wrap


def make_backend() -> Any:  # a fresh class per test: patches change it
    class Backend:
        LIMIT = 1

        def create(self, name: str) -> list[str]:
            return [f"created {name}"]

    return Backend


def noting(label: str) -> Any:
    def layer(call_next: Method, backend: Any, *args: Any, **kwargs: Any) -> list[str]:
        result: list[str] = call_next(backend, *args, **kwargs)
        return [*result, label]

    return layer


def test_layers_on_one_method_run_in_declared_order_the_first_nearest_the_original() -> None:
    backend = make_backend()
    Patcher().apply(
        [Wrap(backend, "create", noting("numbered"), "g1"), Wrap(backend, "create", noting("emitted"), "g2")]
    )
    assert backend().create("v1") == ["created v1", "numbered", "emitted"]


def test_an_added_operation_is_refused_when_the_class_already_has_it() -> None:
    backend = make_backend()
    with pytest.raises(RuntimeError, match="create exists now"):
        Patcher().apply([Add(backend, "create", lambda self: None, "g")])


def test_undone_restores_every_attribute_then_puts_the_patches_back() -> None:
    backend = make_backend()
    patcher = Patcher()
    patcher.apply(
        [
            Wrap(backend, "create", noting("emitted"), "g1"),
            Add(backend, "delete", lambda self: "deleted", "g2"),
            Replace(backend, "LIMIT", 5, "g3"),
        ]
    )
    with patcher.undone():
        assert backend().create("v1") == ["created v1"]
        assert not hasattr(backend, "delete")
        assert backend.LIMIT == 1
    assert backend().create("v1") == ["created v1", "emitted"]
    assert backend().delete() == "deleted"
    assert backend.LIMIT == 5


def test_patches_apply_once() -> None:
    patcher = Patcher()
    patcher.apply([Replace(make_backend(), "LIMIT", 2, "g")])
    assert patcher.applied
    with pytest.raises(RuntimeError, match="once"):
        patcher.apply([])


def test_undone_before_apply_changes_nothing() -> None:
    backend = make_backend()
    with Patcher().undone():
        assert backend().create("v1") == ["created v1"]
