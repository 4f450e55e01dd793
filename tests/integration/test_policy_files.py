"""Policy files: the example passes; every kind of broken policy is refused with a reason."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from chalicelib.adapters.policy_files import FilePolicyRepository
from chalicelib.shared.errors import InvalidPolicyError, PolicyNotFoundError
from shepherd_cli.main import main

POLICIES = Path(__file__).parents[2] / "policies"


@pytest.fixture
def policy_dir(tmp_path: Path) -> Path:
    shutil.copy(POLICIES / "schema.json", tmp_path / "schema.json")
    return tmp_path


def write(directory: Path, group: str, document: Any) -> Path:
    path = directory / f"{group}.json"
    path.write_text(document if isinstance(document, str) else json.dumps(document))
    return path


def example() -> dict[str, Any]:
    document: dict[str, Any] = json.loads((POLICIES / "fraud-detection-models.json").read_text())
    return document


def test_every_shipped_policy_is_valid() -> None:
    repository = FilePolicyRepository(POLICIES)
    assert repository.groups() == ["fraud-detection-models"]
    assert repository.get("fraud-detection-models").group == "fraud-detection-models"


@pytest.mark.parametrize(
    ("change", "why"),
    [
        ({"floors": {"properties": {"auc": {"minimum": "high"}}, "required": ["auc"]}}, "is not of type 'number'"),
        ({"floors": {"properties": {"auc": {"pattern": "x"}}, "required": ["auc"]}}, "Additional properties"),
        ({"floors": {"properties": {"auc": {"minimum": 0.8}}}}, "bounded metrics must be required: auc"),
        ({"mode": "yolo"}, "'yolo' is not one of"),
        ({"on_invalid_metrics": "approve"}, "'approve' is not one of"),
        ({"champion_margins": {"auc": {"better": "higher"}}}, "is not valid under any of the given schemas"),
        ({"champion_margins": {"auc": {"better": "higher", "min_gain": 1, "max_loss": 1}}}, "valid under each of"),
        ({"group": "other-models"}, "does not match the file name"),
        ({"surprise": 1}, "Additional properties are not allowed"),
    ],
)
def test_broken_policies_are_refused_with_a_reason(policy_dir: Path, change: dict[str, Any], why: str) -> None:
    write(policy_dir, "fraud-detection-models", {**example(), **change})
    with pytest.raises(InvalidPolicyError, match=why.replace("(", r"\(")):
        FilePolicyRepository(policy_dir).get("fraud-detection-models")


def test_a_policy_that_is_not_json_is_invalid(policy_dir: Path) -> None:
    write(policy_dir, "g", "{not json")
    with pytest.raises(InvalidPolicyError, match="not readable JSON"):
        FilePolicyRepository(policy_dir).get("g")


def test_no_file_means_no_policy(policy_dir: Path) -> None:
    with pytest.raises(PolicyNotFoundError):
        FilePolicyRepository(policy_dir).get("unknown-models")


def test_cli_policy_validate_exit_codes(policy_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    good = write(policy_dir, "fraud-detection-models", example())
    bad = write(policy_dir, "bad-models", {**example(), "group": "bad-models", "mode": "yolo"})
    assert main(["policy", "validate", str(good), "--schema-dir", str(policy_dir)]) == 0
    assert main(["policy", "validate", str(good), str(bad), "--schema-dir", str(policy_dir), "--json"]) == 1
    report = json.loads(capsys.readouterr().out.split("\n", 1)[1])
    assert report["valid"] is False and report["files"][str(good)] == []
