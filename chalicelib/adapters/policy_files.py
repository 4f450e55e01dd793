"""Group policies: JSON files, one per model package group, each checked against the policy schema (which
ships inside the package: a policy directory holds policies only) and the checks it cannot express."""

from __future__ import annotations

import json
from collections.abc import Mapping
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

from chalicelib.shared import bounded_json
from chalicelib.shared.errors import InvalidPolicyError, PolicyNotFoundError
from chalicelib.shared.policy import Policy
from chalicelib.shared.policy_checks import EndpointPlace, endpoint_places, endpoints_claimed_by_others, policy_problems
from chalicelib.shared.schema_messages import schema_message

SCHEMA_PATH = Path(__file__).parents[1] / "shared" / "policy_schema.json"
LEFT_OVER_SCHEMA = "schema.json"  # where the schema used to sit, beside the policies: never a group
# A policy nests about five levels and weighs a few kilobytes: past these it is a mistake, refused as invalid.
MAX_POLICY_DEPTH = 32
MAX_POLICY_BYTES = 1024 * 1024


class FilePolicyRepository:
    """Reads ``<directory>/<group>.json``; parsed policies are cached for the life of the process."""

    def __init__(self, directory: Path) -> None:
        self._directory = directory
        self._cache: dict[str, Policy] = {}

    @property
    def directory(self) -> Path:
        return self._directory

    def get(self, group: str) -> Policy:
        """The group's policy, whatever the case it is asked in: SageMaker writes ARNs in lower case (a group
        `Fraud-Models` is `model-package/fraud-models/3`, so a button's or an alarm's group is), and group
        names are unique regardless of case."""
        if group not in self._cache:
            spelled = self._spelled(group)
            self._cache[group] = self.load(self._directory / f"{spelled}.json", expected_group=spelled)
        return self._cache[group]

    def _spelled(self, group: str) -> str:
        folded = group.casefold()
        return next((name for name in self.groups() if name.casefold() == folded), group)

    def groups(self) -> list[str]:
        return sorted(path.stem for path in self._policy_files())

    def load(self, path: Path, expected_group: str | None = None) -> Policy:
        if not path.is_file():
            raise PolicyNotFoundError(f"no policy for group {expected_group or path.stem} ({path.name})")
        document = _read(path)
        problems = self.problems(document, expected_group or path.stem)
        if problems:
            # not "the schema": most of what a person gets wrong (bounds, typos, endpoints) is checked beyond it
            raise InvalidPolicyError(f"{path.name} is not a valid policy: {'; '.join(problems)}")
        return Policy.from_document(document)

    def problems(self, document: Any, expected_group: str | None = None) -> list[str]:
        """Every reason the document is not a usable policy; empty when it is."""
        problems = [_describe(error) for error in _validator().iter_errors(document)]
        if problems or not isinstance(document, Mapping):
            return problems or ["a policy must be a JSON object"]
        if expected_group and document["group"] != expected_group:
            problems.append(f"group {document['group']!r} does not match the file name {expected_group!r}")
        problems.extend(policy_problems(document))
        problems.extend(endpoints_claimed_by_others(document["group"], document, self._endpoint_claims))
        return problems

    def _policy_files(self) -> list[Path]:
        return [path for path in self._directory.glob("*.json") if path.name != LEFT_OVER_SCHEMA]

    @cached_property
    def _endpoint_claims(self) -> dict[EndpointPlace, set[str]]:
        """An endpoint (account, region, name) -> the groups whose policy files name it (files that cannot be
        read claim nothing)."""
        claims: dict[EndpointPlace, set[str]] = {}
        for path in self._policy_files():
            try:
                document = _read(path)
            except InvalidPolicyError:
                continue
            if isinstance(document, Mapping) and isinstance(document.get("release"), Mapping):
                for place in endpoint_places(document).values():
                    claims.setdefault(place, set()).add(str(document.get("group", path.stem)))
        return claims


def _read(path: Path) -> Any:
    try:
        return bounded_json.loads(path.read_text(encoding="utf-8"), MAX_POLICY_BYTES, MAX_POLICY_DEPTH)
    except (OSError, ValueError) as error:
        raise InvalidPolicyError(f"{path.name} is not readable JSON: {error}") from None


@lru_cache(maxsize=1)
def _validator() -> Any:
    # jsonschema costs ~0.16 s to import: only when a policy is first read, never at app import.
    from jsonschema import Draft202012Validator

    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def _describe(error: Any) -> str:
    where = "/".join(str(part) for part in error.absolute_path) or "<policy>"
    return f"{where}: {schema_message(error.validator, error.validator_value, error.instance, error.message)}"
