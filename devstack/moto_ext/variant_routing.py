"""Which variant answers an invocation, and which shadow variants get a copy: SageMaker's routing.

Read from what DescribeEndpoint shows (`ProductionVariants` and `ShadowProductionVariants`, each with its
`CurrentWeight`), falling back to the endpoint config's `InitialVariantWeight` (SageMaker's default 1.0)
where an endpoint shows no weight. A request picks a production variant with a chance proportional to its
weight, unless it names one (`TargetVariant`). A shadow variant receives a copy of the share of requests
its weight is of the production variant's (weight 0.5 beside 1.0: half of them), as SageMaker's shadow
variants do; its answer never reaches the caller.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

Described = Mapping[str, Any]  # DescribeEndpoint's or DescribeEndpointConfig's answer


class RoutingError(Exception):
    """The request cannot be routed (a TargetVariant the endpoint lacks, no variant with weight)."""


@dataclass(frozen=True)
class Route:
    variant: str  # the production variant that answers
    shadows: tuple[str, ...] = ()  # the shadow variants that get a copy of this request


def route(endpoint: Described, config: Described, target: str | None, draw: Callable[[], float]) -> Route:
    """`draw` gives uniform numbers in [0, 1) (seeded by the caller: runs repeat)."""
    production = weights(endpoint.get("ProductionVariants"), config.get("ProductionVariants"))
    if not production:
        return Route("")
    chosen = _targeted(production, target, endpoint) if target else _weighted(production, draw, endpoint)
    source = production[chosen] or max(production.values())
    shadows = weights(endpoint.get("ShadowProductionVariants"), config.get("ShadowProductionVariants"))
    copied = tuple(name for name, weight in shadows.items() if source > 0 and draw() < weight / source)
    return Route(chosen, copied)


def weights(
    shown: Sequence[Mapping[str, Any]] | None, configured: Sequence[Mapping[str, Any]] | None
) -> dict[str, float]:
    """Each variant's weight, in the order the endpoint lists them."""
    initial = {variant["VariantName"]: variant.get("InitialVariantWeight", 1.0) for variant in configured or ()}
    return {
        variant["VariantName"]: float(variant.get("CurrentWeight", initial.get(variant["VariantName"], 1.0)))
        for variant in shown or ()
    }


def _targeted(production: Mapping[str, float], target: str, endpoint: Described) -> str:
    if target not in production:
        raise RoutingError(f"Endpoint {endpoint.get('EndpointName')} has no production variant named {target}.")
    return target


def _weighted(production: Mapping[str, float], draw: Callable[[], float], endpoint: Described) -> str:
    if len(production) == 1:
        return next(iter(production))  # no draw: a single variant's endpoint takes no part in the seeded sequence
    total = sum(production.values())
    if total <= 0:
        raise RoutingError(
            f"Endpoint {endpoint.get('EndpointName')} has no production variant with a weight above 0: "
            "name one with TargetVariant."
        )
    point, reached = draw() * total, 0.0
    for name, weight in production.items():
        reached += weight
        if point < reached:
            return name
    return [name for name, weight in production.items() if weight > 0][-1]  # rounding at the very top
