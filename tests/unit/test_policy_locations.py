"""Where the app reads policies from: the repository's policies/ in a checkout, the packaged copy in the Lambda."""

from __future__ import annotations

from pathlib import Path

from chalicelib.shared.settings import PACKAGED_POLICIES, SOURCE_POLICIES, load_settings

PROJECT = Path(__file__).resolve().parents[2]


def test_a_checkout_reads_the_repositorys_policies_not_a_copy() -> None:
    assert SOURCE_POLICIES.resolve() == PROJECT / "policies"
    assert load_settings({}).policy_dir.resolve() == PROJECT / "policies"


def test_the_packaged_copy_is_where_the_build_puts_it_inside_chalicelib() -> None:
    # Chalice packages only app.py and chalicelib/: infra/package.py copies policies/ to chalicelib/policies.
    assert PACKAGED_POLICIES.resolve() == PROJECT / "chalicelib" / "policies"
