"""The model-based test of a group's whole life (see group_life.py). `make soak` runs it 20 times longer."""

from __future__ import annotations

import os
from pathlib import Path

from hypothesis import HealthCheck, settings
from hypothesis.database import DirectoryBasedExampleDatabase

from tests.model.group_life import GroupLife

SOAK = os.environ.get("SHEPHERD_SOAK") == "1"
DATABASE = DirectoryBasedExampleDatabase(str(Path(__file__).resolve().parents[2] / ".hypothesis" / "model"))

GroupLife.TestCase.settings = settings(
    max_examples=4000 if SOAK else 200,
    print_blob=False,
    stateful_step_count=40,
    deadline=None,
    database=DATABASE,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
TestGroupLife = GroupLife.TestCase
