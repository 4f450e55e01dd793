"""`make bench`: each benchmark in its own process; one that fails is reported and the others still run."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from bench import run_all


def test_benchmarks_are_the_modules_with_a_main(tmp_path: Path) -> None:
    (tmp_path / "timed.py").write_text("def main() -> None:\n    pass\n")
    (tmp_path / "helper.py").write_text("def measure() -> None:\n    pass\n")
    (tmp_path / "run_all.py").write_text("def main() -> None:\n    pass\n")
    assert run_all.benchmarks(tmp_path) == ["bench.timed"]


def test_each_benchmark_runs_in_a_process_of_its_own_and_a_failure_does_not_stop_the_rest() -> None:
    commands: list[Sequence[str]] = []

    def run(command: Sequence[str]) -> int:
        commands.append(command)
        return 1 if command[-1] == "bench.local_release" else 0

    results = run_all.run_each(["bench.local_relay", "bench.local_release", "bench.package_size"], run)
    assert [command[1:] for command in commands] == [
        ["-m", "bench.local_relay"],
        ["-m", "bench.local_release"],
        ["-m", "bench.package_size"],
    ]
    lines = run_all.summary(results)
    assert lines[1].startswith("bench.local_release: FAILED (exit 1)")
    assert lines[-1] == "2 of 3 benchmarks completed"


def test_the_real_benchmarks_are_found() -> None:
    found = run_all.benchmarks()
    assert "bench.local_burst" in found
    assert "bench.aws_calls" not in found  # a helper
