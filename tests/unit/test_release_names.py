"""Release resource names: valid by SageMaker's published rules for every group name, unique per attempt."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chalicelib.release.names import ATTEMPT_SPACE, name_prefix, resource_names, shadow_config_of, split_config_of
from chalicelib.shared.model_version import MAX_VERSION
from tests.support.sagemaker_names import group_names, problems

T0 = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)
versions = st.integers(1, MAX_VERSION)
attempts = st.integers(0, ATTEMPT_SPACE - 1)
times = st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2099, 12, 31), timezones=st.just(UTC))
EDGE_GROUPS = [
    "a" * 63,
    "A" * 63,
    "Z9" * 31 + "x",
    "a" * 22 + "-" * 20 + "b" * 21,  # cut inside the dashes: no trailing dash may remain
    "a" * 23 + "-" + "b" * 39,
    "x",
    "fraud-detection-models",
]


def assert_valid(names: tuple[str, str, str]) -> None:
    model, staging, production = names
    assert problems("model", model) == []
    assert problems("endpoint-config", staging) == []
    assert problems("endpoint-config", production) == []


@settings(deadline=None)
@given(group_names(), versions, times, attempts)
def test_every_name_is_valid_for_every_group_version_time_and_attempt(
    group: str, version: int, started: datetime, attempt: int
) -> None:
    names = resource_names(group, version, started, attempt)
    assert_valid(names)
    assert len(set(names)) == 3
    assert all(name.startswith(name_prefix(group) + "-v") for name in names)  # what IAM grants
    assert all(name == name.lower() for name in names)  # IAM compares SageMaker ARNs lowercased


@pytest.mark.parametrize("group", EDGE_GROUPS)
def test_the_longest_names_still_fit(group: str) -> None:
    names = resource_names(group, MAX_VERSION, T0, ATTEMPT_SPACE - 1)
    assert_valid(names)
    assert not name_prefix(group)[: -len("-123abc")].endswith("-")  # a cut never leaves a dash before the hash


@pytest.mark.parametrize("group", EDGE_GROUPS)
def test_the_split_and_shadow_configs_of_the_longest_names_fit_and_are_granted(group: str) -> None:
    model, _, production = resource_names(group, MAX_VERSION, T0, ATTEMPT_SPACE - 1)
    configs = {split_config_of(model), shadow_config_of(model)}
    assert all(problems("endpoint-config", config) == [] for config in configs)
    assert all(config.startswith(name_prefix(group) + "-v") for config in configs)  # what IAM grants
    assert len(configs | {production}) == 3


def test_the_worst_case_uses_exactly_the_63_characters() -> None:
    _, staging, _ = resource_names("a" * 63, MAX_VERSION, T0, ATTEMPT_SPACE - 1)
    assert len(staging) == 63


@settings(deadline=None)
@given(group_names(), group_names())
def test_different_groups_get_different_prefixes(first: str, second: str) -> None:
    if first != second:
        assert name_prefix(first) != name_prefix(second)


def test_long_groups_sharing_their_first_50_characters_get_different_prefixes() -> None:
    common = "payments-risk-scoring-models-for-the-emea-region-x"  # 50 characters
    assert len(common) == 50
    first, second = common + "-europe-west", common + "-europe-east"
    assert name_prefix(first) != name_prefix(second)
    assert name_prefix(first)[:23] == name_prefix(second)[:23]  # the readable part is the same: the hash differs


def test_groups_that_differ_only_in_case_get_different_prefixes() -> None:
    # SageMaker names are case sensitive; ours are lowercase for IAM, so the hash keeps them apart.
    assert name_prefix("FraudModels") != name_prefix("fraudmodels")
    assert name_prefix("FraudModels").startswith("fraudmodels-")


def test_a_short_group_keeps_its_whole_name_readable() -> None:
    model, staging, production = resource_names("fraud-detection-models", 12, T0, 41)
    prefix = name_prefix("fraud-detection-models")
    assert prefix.startswith("fraud-detection-models-") and len(prefix) == len("fraud-detection-models-") + 6
    assert model == f"{prefix}-v12-261126120000-15"  # 41 in base 36
    assert (staging, production) == (f"{model}-stg", f"{model}-prd")


def test_the_prefix_is_stable_across_calls() -> None:
    # IAM grants it when `make iam` runs; releases months later must still be inside it.
    assert name_prefix("a" * 63) == name_prefix("a" * 63) == resource_names("a" * 63, 1, T0, 0)[0][:30]


@settings(deadline=None)
@given(versions, attempts, attempts)
def test_two_attempts_in_the_same_second_get_different_names(version: int, first: int, second: int) -> None:
    if first != second:
        one = set(resource_names("a" * 63, version, T0, first))
        assert one.isdisjoint(resource_names("a" * 63, version, T0 + timedelta(microseconds=999), second))


@settings(deadline=None)
@given(st.tuples(versions, times, attempts), st.tuples(versions, times, attempts))
def test_distinct_attempts_never_share_a_name(
    first: tuple[int, datetime, int], second: tuple[int, datetime, int]
) -> None:
    def identity(attempt: tuple[int, datetime, int]) -> tuple[int, datetime, int]:
        version, started, number = attempt
        return version, started.replace(microsecond=0), number

    if identity(first) != identity(second):
        assert set(resource_names("g", *first)).isdisjoint(resource_names("g", *second))


@pytest.mark.parametrize("version", [0, -1, MAX_VERSION + 1])
def test_a_version_sagemaker_cannot_have_is_refused(version: int) -> None:
    with pytest.raises(ValueError, match="outside"):
        resource_names("g", version, T0, 0)
