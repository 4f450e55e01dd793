"""S3: the gate reads metrics documents; the cleanup deletes a version's artifacts when its policy asks."""

from __future__ import annotations

from typing import TYPE_CHECKING

from botocore.exceptions import ClientError

from chalicelib.adapters.aws import error_code, error_message
from chalicelib.shared.errors import DeleteFailedError, MetricsUnavailableError

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client

MAX_METRICS_BYTES = 1024 * 1024  # a metrics document is small; a huge one is a mistake, not metrics


def split_s3_uri(uri: str) -> tuple[str, str]:
    if not uri.startswith("s3://"):
        raise MetricsUnavailableError(f"metrics location is not an s3:// URI: {uri!r}")
    bucket, _, key = uri[len("s3://") :].partition("/")
    if not bucket or not key:
        raise MetricsUnavailableError(f"metrics location has no bucket or key: {uri!r}")
    return bucket, key


class S3MetricsReader:
    def __init__(self, client: S3Client) -> None:
        self._client = client

    def read(self, uri: str) -> bytes:
        bucket, key = split_s3_uri(uri)
        try:
            response = self._client.get_object(Bucket=bucket, Key=key)
        except ClientError as error:
            raise MetricsUnavailableError(f"cannot read {uri}: {error_code(error)}") from None
        if response.get("ContentLength", 0) > MAX_METRICS_BYTES:
            raise MetricsUnavailableError(f"{uri} is larger than {MAX_METRICS_BYTES} bytes")
        return response["Body"].read()


class S3ArtifactStore:
    def __init__(self, client: S3Client) -> None:
        self._client = client

    def delete(self, uri: str) -> None:
        try:
            bucket, key = split_s3_uri(uri)
        except MetricsUnavailableError as error:
            raise DeleteFailedError(str(error)) from None
        if key.endswith("/"):
            # A prefix (uncompressed model data): deleting "everything under it" is too blunt to do unasked.
            raise DeleteFailedError(f"{uri} is a prefix, not an object: left in place")
        try:
            self._client.delete_object(Bucket=bucket, Key=key)  # S3 answers a missing key with success
        except ClientError as error:
            raise DeleteFailedError(f"{uri}: {error_code(error)}: {error_message(error)}") from None
