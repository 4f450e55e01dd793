"""The Variants port in memory, beside the fake endpoints: split and shadow configs kept as weights per variant,
an endpoint's variants read from the config it serves, weights changed in place (or refused while Updating)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from chalicelib.release.endpoint_spec import EndpointSpec
from chalicelib.release.ports import EndpointView
from chalicelib.release.variant_ports import VariantView, challenger_variant
from chalicelib.shared.errors import ProductionBusyError
from tests.fakes.endpoints import SettlingEndpoints
from tests.fakes.release import MemoryEndpoints


@dataclass(frozen=True)
class SplitConfig:
    champion_config: str
    challenger_model: str
    weights: Mapping[str, int]
    shadow: str | None = None  # the shadow variant's name, sampling its weight's percent


@dataclass
class MemoryVariants:
    """`endpoints` is the fake the release engine deploys with: what it serves decides what is seen here."""

    endpoints: MemoryEndpoints | SettlingEndpoints
    configs: dict[str, SplitConfig] = field(default_factory=dict)
    weights: dict[str, tuple[str, dict[str, int]]] = field(default_factory=dict)  # endpoint -> (config, weights)
    calls: list[str] = field(default_factory=list)

    def create_split_config(
        self, name: str, spec: EndpointSpec, champion_config: str, challenger_model: str, challenger_weight: int
    ) -> None:
        self.calls.append(f"create_split_config {name} {challenger_weight}")
        weights = {spec.variant: 100 - challenger_weight, challenger_variant(spec.variant): challenger_weight}
        self.configs[name] = SplitConfig(champion_config, challenger_model, weights)

    def create_shadow_config(
        self, name: str, spec: EndpointSpec, champion_config: str, challenger_model: str, sampling_percent: int
    ) -> None:
        self.calls.append(f"create_shadow_config {name} {sampling_percent}")
        shadow = challenger_variant(spec.variant)
        self.configs[name] = SplitConfig(
            champion_config, challenger_model, {spec.variant: 100, shadow: sampling_percent}, shadow
        )

    def set_weights(self, endpoint: str, weights: Mapping[str, int]) -> None:
        view = self.endpoints.describe(endpoint)
        if view is None or view.status != "InService":
            raise ProductionBusyError(f"update_endpoint_weights_and_capacities {endpoint}: it is not InService")
        self.calls.append(f"set_weights {dict(weights)}")
        assert view.config is not None
        self.weights[endpoint] = (view.config, dict(weights))
        if isinstance(self.endpoints, SettlingEndpoints):  # Updating until the test settles it, on the same config
            self.endpoints.endpoints[endpoint] = EndpointView("Updating", view.config)
            self.endpoints.pending[endpoint] = view.config

    def variants(self, endpoint: str) -> tuple[VariantView, ...]:
        view = self.endpoints.describe(endpoint)
        if view is None or view.config is None:
            return ()
        config = self.configs.get(view.config)
        if config is None:
            return (VariantView("AllTraffic", 1.0),)  # a single-variant config
        weights = dict(config.weights)
        changed = self.weights.get(endpoint)
        if changed is not None and changed[0] == view.config:
            weights = changed[1]
        # As the adapter shows them: each variant's share of the production variants' weights, 0 to 1.
        total = sum(weight for name, weight in weights.items() if name != config.shadow) or 1
        return tuple(
            VariantView(name, weight / total, shadow=name == config.shadow) for name, weight in weights.items()
        )
