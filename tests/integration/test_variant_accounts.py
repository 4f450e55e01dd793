"""The Variants adapter of a production stage in another account: every request goes to that account (through its
deploy role), and what cannot be done there is said with the stage's name, account and role."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from chalicelib.release.endpoint_spec import EndpointSpec
from chalicelib.release.names import model_of_production_config, split_config_of
from chalicelib.release.placement import Placement
from chalicelib.release.places import StageAdapters
from chalicelib.release.variant_ports import Variants, VariantView
from chalicelib.shared.errors import ReleaseStepError
from devstack.resources import LocalResources
from tests.support import accounts as a
from tests.support import release as r

PRODUCTION = Placement(role_arn=a.PRODUCTION_ROLE, external_id="model-shepherd-fraud")
SPEC = EndpointSpec(r.PRODUCTION, "ml.m5.large")


@pytest.fixture
def world(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, resources: LocalResources) -> Iterator[a.World]:
    with a.world_elsewhere(tmp_path, monkeypatch, resources) as built:
        yield built


def production_stage(world: a.World) -> StageAdapters:
    places = world.container.release_deps.places
    assert places is not None
    return places.at(PRODUCTION, "production")


def production_variants(world: a.World) -> Variants:
    variants = production_stage(world).variants
    assert variants is not None
    return variants


def test_a_split_in_the_production_account_is_made_and_shifted_there(world: a.World) -> None:
    a.release_to_watching(r.register_approved("v1"), world)
    serving = a.serving_config(*a.PRODUCTION_AT, r.PRODUCTION)
    split = split_config_of(model_of_production_config(serving))
    world.sent.clear()
    variants = production_variants(world)
    variants.create_split_config(split, SPEC, serving, model_of_production_config(serving), 20)
    production_stage(world).endpoints.deploy(r.PRODUCTION, split)
    variants.set_weights(r.PRODUCTION, {"AllTraffic": 50, "Challenger": 50})
    assert variants.variants(r.PRODUCTION) == (VariantView("AllTraffic", 0.5), VariantView("Challenger", 0.5))
    sent = {(request.operation, request.account, request.region) for request in world.sent}
    assert {
        ("DescribeEndpointConfig", *a.PRODUCTION_AT),
        ("CreateEndpointConfig", *a.PRODUCTION_AT),
        ("UpdateEndpointWeightsAndCapacities", *a.PRODUCTION_AT),
        ("DescribeEndpoint", *a.PRODUCTION_AT),
    } <= sent
    assert a.sent_home(world.sent) == []  # never the app's own credentials in the stage's stead


def test_a_refusal_in_the_production_account_names_the_stage_its_account_and_role(world: a.World) -> None:
    with pytest.raises(ReleaseStepError, match=r"^production \(account 333333333333.*Could not find endpoint"):
        production_variants(world).set_weights(r.PRODUCTION, {"AllTraffic": 100})
    assert production_variants(world).variants(r.PRODUCTION) == ()
