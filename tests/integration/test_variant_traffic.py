"""Customers at a steady rate for a window (devstack.variant_traffic): each variant gets its share of them."""

from __future__ import annotations

import time
from collections.abc import Iterator

import boto3
import pytest

from devstack import variant_traffic
from devstack.moto_ext import endpoint_runtime, install
from tests.support.local_variants import ENDPOINT, split_endpoint

pytestmark = pytest.mark.usefixtures("aws")


@pytest.fixture(autouse=True)
def _extended() -> Iterator[None]:
    install()
    yield
    endpoint_runtime.reset()


def test_a_window_sends_its_rate_for_its_seconds_and_tells_which_variant_answered() -> None:
    split_endpoint(champion=3.0, challenger=1.0)
    started = time.monotonic()
    served = variant_traffic.window(boto3.client("sagemaker-runtime"), ENDPOINT, per_second=100, seconds=1.0)
    assert served.sent == 100 and served.failed == 0
    assert set(served.answered) == {"AllTraffic", "Challenger"}
    assert 15 <= served.answered["Challenger"] <= 35  # about a quarter
    assert time.monotonic() - started >= 0.98  # the last call was due at 0.99 s: paced, not a burst


def test_a_failing_variant_s_calls_are_counted_as_failures_with_their_code() -> None:
    split_endpoint(champion=1.0, challenger=1.0)
    endpoint_runtime.configure(ENDPOINT, variant="Challenger", error_rate=1.0)
    served = variant_traffic.window(boto3.client("sagemaker-runtime"), ENDPOINT, per_second=200, seconds=0.2)
    assert served.sent == 40
    assert served.answered.keys() == {"AllTraffic"} and served.errors == {"ModelError": served.failed}
    assert served.failed > 0


def test_a_window_of_nothing_is_refused() -> None:
    with pytest.raises(ValueError, match="positive"):
        variant_traffic.window(boto3.client("sagemaker-runtime"), ENDPOINT, per_second=0, seconds=1.0)
