"""The port for an endpoint with more than one variant: the champion and the challenger side by side
(progressive delivery), or the challenger as a shadow of the champion."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Protocol

from chalicelib.release.endpoint_spec import EndpointSpec


def challenger_variant(champion: str) -> str:
    """The challenger's variant name beside the champion's (the policy's `variant_name`, AllTraffic by default)."""
    return "Challenger" if champion != "Challenger" else "Challenger-2"


@dataclass(frozen=True)
class VariantView:
    name: str
    weight: float  # CurrentWeight: the share of traffic it takes now (a shadow's: its sampling weight)
    desired_weight: float | None = None  # DesiredWeight while an UpdateEndpointWeightsAndCapacities settles
    shadow: bool = False


class Variants(Protocol):
    def create_split_config(
        self, name: str, spec: EndpointSpec, champion_config: str, challenger_model: str, challenger_weight: int
    ) -> None:
        """A config of two production variants: `spec.variant` serving the model of `champion_config` at
        weight 100 - challenger_weight, and challenger_variant(spec.variant) serving `challenger_model` at
        challenger_weight, both on the capacity `spec` gives."""
        ...

    def create_shadow_config(
        self, name: str, spec: EndpointSpec, champion_config: str, challenger_model: str, sampling_percent: int
    ) -> None:
        """`spec.variant` serving the champion, and challenger_variant(spec.variant) as a shadow variant that
        receives a copy of `sampling_percent` of its requests (its answers are not returned to callers)."""
        ...

    def set_weights(self, endpoint: str, weights: Mapping[str, int]) -> None:
        """UpdateEndpointWeightsAndCapacities with each named variant's weight (the endpoint goes Updating,
        then InService); ProductionBusyError while the endpoint is still Updating."""
        ...

    def variants(self, endpoint: str) -> tuple[VariantView, ...]:
        """The endpoint's production and shadow variants as DescribeEndpoint shows them; () when it is missing."""
        ...
