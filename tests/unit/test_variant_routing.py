"""The local stack's routing of an invocation to a variant, from what DescribeEndpoint shows."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from devstack.moto_ext.variant_routing import Route, RoutingError, route


def draws(*values: float) -> Callable[[], float]:
    values_left: Iterator[float] = iter(values)
    return lambda: next(values_left)


def endpoint(*production: tuple[str, float | None], shadow: tuple[str, float] | None = None) -> dict[str, Any]:
    described: dict[str, Any] = {
        "EndpointName": "fraud-prod",
        "ProductionVariants": [
            {"VariantName": name, **({} if weight is None else {"CurrentWeight": weight})}
            for name, weight in production
        ],
    }
    if shadow:
        described["ShadowProductionVariants"] = [{"VariantName": shadow[0], "CurrentWeight": shadow[1]}]
    return described


def test_a_draw_lands_in_the_variant_whose_share_it_falls_in() -> None:
    split = endpoint(("AllTraffic", 3.0), ("Challenger", 1.0))
    assert route(split, {}, None, draws(0.74)).variant == "AllTraffic"
    assert route(split, {}, None, draws(0.76)).variant == "Challenger"


def test_an_endpoint_without_weights_falls_back_to_the_config_s_initial_weights_then_sagemaker_s_default() -> None:
    shown = endpoint(("AllTraffic", None), ("Challenger", None))
    config = {"ProductionVariants": [{"VariantName": "AllTraffic", "InitialVariantWeight": 0.0}]}
    assert route(shown, config, None, draws(0.01)).variant == "Challenger"  # 0 beside the default 1.0


def test_a_single_variant_answers_without_a_draw() -> None:
    assert route(endpoint(("AllTraffic", 0.0)), {}, None, draws()) == Route("AllTraffic")


def test_no_variant_at_all_is_the_empty_route() -> None:
    assert route({}, {}, None, draws()) == Route("")


def test_target_variant_wins_over_the_weights_and_an_unknown_one_is_refused() -> None:
    split = endpoint(("AllTraffic", 1.0), ("Challenger", 0.0))
    assert route(split, {}, "Challenger", draws()).variant == "Challenger"
    with pytest.raises(RoutingError, match="no production variant named Nobody"):
        route(split, {}, "Nobody", draws())


def test_every_weight_at_zero_needs_a_target_variant() -> None:
    with pytest.raises(RoutingError, match="TargetVariant"):
        route(endpoint(("AllTraffic", 0.0), ("Challenger", 0.0)), {}, None, draws(0.5))


def test_a_shadow_gets_the_share_its_weight_is_of_the_production_variant_s() -> None:
    shadowed = endpoint(("AllTraffic", 1.0), shadow=("Challenger", 0.2))
    copied = Counter(route(shadowed, {}, None, draws(step / 100)).shadows for step in range(100))
    assert copied == Counter({("Challenger",): 20, (): 80})


def test_a_shadow_at_weight_zero_gets_nothing() -> None:
    assert route(endpoint(("AllTraffic", 1.0), shadow=("Challenger", 0.0)), {}, None, draws(0.0)).shadows == ()
