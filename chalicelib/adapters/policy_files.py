"""Group policies: JSON files, one per model package group, each checked against the policy schema."""

from __future__ import annotations

import json
from collections.abc import Mapping
from functools import cached_property
from pathlib import Path
from typing import Any

from chalicelib.shared import bounded_json
from chalicelib.shared.errors import InvalidPolicyError, PolicyNotFoundError
from chalicelib.shared.policy import Policy

SCHEMA_FILE = "schema.json"
# A policy nests about five levels and weighs a few kilobytes: past these it is a mistake, refused as invalid.
MAX_POLICY_DEPTH = 32
MAX_POLICY_BYTES = 1024 * 1024


class FilePolicyRepository:
    """Reads ``<directory>/<group>.json``; parsed policies are cached for the life of the process."""

    def __init__(self, directory: Path) -> None:
        self._directory = directory
        self._cache: dict[str, Policy] = {}

    def get(self, group: str) -> Policy:
        if group not in self._cache:
            self._cache[group] = self.load(self._directory / f"{group}.json", expected_group=group)
        return self._cache[group]

    def groups(self) -> list[str]:
        return sorted(path.stem for path in self._directory.glob("*.json") if path.name != SCHEMA_FILE)

    def load(self, path: Path, expected_group: str | None = None) -> Policy:
        if not path.is_file():
            raise PolicyNotFoundError(f"no policy for group {expected_group or path.stem} ({path.name})")
        try:
            document = bounded_json.loads(path.read_text(encoding="utf-8"), MAX_POLICY_BYTES, MAX_POLICY_DEPTH)
        except (OSError, ValueError) as error:
            raise InvalidPolicyError(f"{path.name} is not readable JSON: {error}") from None
        problems = self.problems(document, expected_group or path.stem)
        if problems:
            raise InvalidPolicyError(f"{path.name} does not pass the policy schema: {'; '.join(problems)}")
        return Policy.from_document(document)

    def problems(self, document: Any, expected_group: str | None = None) -> list[str]:
        """Every reason the document is not a usable policy; empty when it is."""
        problems = [_describe(error) for error in self._validator.iter_errors(document)]
        if problems or not isinstance(document, Mapping):
            return problems or ["a policy must be a JSON object"]
        if expected_group and document["group"] != expected_group:
            problems.append(f"group {document['group']!r} does not match the file name {expected_group!r}")
        problems.extend(_unrequired_bounds(document))
        return problems

    @cached_property
    def _validator(self) -> Any:
        # jsonschema costs ~0.16 s to import: only when a policy is first read, never at app import.
        from jsonschema import Draft202012Validator

        schema = json.loads((self._directory / SCHEMA_FILE).read_text(encoding="utf-8"))
        Draft202012Validator.check_schema(schema)
        return Draft202012Validator(schema)


def _describe(error: Any) -> str:
    where = "/".join(str(part) for part in error.absolute_path) or "<policy>"
    return f"{where}: {error.message}"


def _unrequired_bounds(document: Mapping[str, Any]) -> list[str]:
    # A bound on an optional property passes when the metric is absent: in a policy that would let a
    # version with no auc through an auc floor. Every bounded metric must therefore be required.
    problems = []
    for section in ("floors", "approval"):
        thresholds = document.get(section, {})
        unrequired = set(thresholds.get("properties", {})) - set(thresholds.get("required", []))
        if unrequired:
            problems.append(f"{section}: bounded metrics must be required: {', '.join(sorted(unrequired))}")
    return problems
