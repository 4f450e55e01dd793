"""The doctor expects of the tables what infra/resources.json deploys, and picks the stage it is pointed at."""

from __future__ import annotations

import json

from shepherd_cli.doctor.expected_policies import PROJECT
from shepherd_cli.doctor.run import default_stage
from shepherd_cli.doctor.tables import TABLES


def test_the_expected_tables_are_those_infra_deploys() -> None:
    resources = json.loads((PROJECT / "infra" / "resources.json").read_text())["Resources"]
    deployed = {
        resources[logical]["Properties"]["TableName"]: resources[logical]["Properties"]
        for logical in ("IdempotencyTable", "StateTable")
    }
    placeholders = {"SHEPHERD_IDEMPOTENCY_TABLE": "@IDEMPOTENCY_TABLE@", "SHEPHERD_STATE_TABLE": "@STATE_TABLE@"}
    for expected in TABLES:
        table = deployed[placeholders[expected.setting]]
        assert tuple((key["AttributeName"], key["KeyType"]) for key in table["KeySchema"]) == expected.keys
        assert table["TimeToLiveSpecification"] == {"AttributeName": expected.ttl_attribute, "Enabled": True}


def test_the_stage_is_the_one_named_then_the_state_tables_then_prod() -> None:
    assert default_stage({"SHEPHERD_STAGE": "dev", "SHEPHERD_STATE_TABLE": "model-shepherd-local-state"}) == "dev"
    assert default_stage({"SHEPHERD_STATE_TABLE": "model-shepherd-local-state"}) == "local"
    assert default_stage({"SHEPHERD_STATE_TABLE": "someone-elses-table"}) == "prod"
    assert default_stage({}) == "prod"
