"""The deployment zip: carries the policies, leaves out what the Lambda runtime provides, stays small."""

from __future__ import annotations

import zipfile

from infra.names import PROJECT
from tests.support.package import Package

MAX_BYTES = 3 * 1024 * 1024


def names(package: Package) -> set[str]:
    with zipfile.ZipFile(package.zip_path) as archive:
        return set(archive.namelist())


def test_the_zip_carries_every_policy_and_the_schema(package: Package) -> None:
    policies = {f"chalicelib/policies/{path.name}" for path in (PROJECT / "policies").glob("*.json")}
    assert "chalicelib/policies/fraud-detection-models.json" in policies
    assert policies | {"chalicelib/shared/policy_schema.json"} <= names(package)


def test_the_zip_leaves_out_what_the_runtime_provides(package: Package) -> None:
    top_level = {name.split("/", 1)[0] for name in names(package)}
    assert not top_level & {"boto3", "botocore", "s3transfer", "aws_xray_sdk", "moto", "devstack", "tests"}


def test_the_zip_is_under_three_megabytes(package: Package) -> None:
    assert package.zip_path.stat().st_size < MAX_BYTES
