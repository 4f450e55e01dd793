"""Metrics documents in S3."""

from __future__ import annotations

from typing import Any

from botocore.exceptions import ClientError

from chalicelib.adapters.aws import error_code
from chalicelib.shared.errors import MetricsUnavailableError

MAX_METRICS_BYTES = 1024 * 1024  # a metrics document is small; a huge one is a mistake, not metrics


def split_s3_uri(uri: str) -> tuple[str, str]:
    if not uri.startswith("s3://"):
        raise MetricsUnavailableError(f"metrics location is not an s3:// URI: {uri!r}")
    bucket, _, key = uri[len("s3://") :].partition("/")
    if not bucket or not key:
        raise MetricsUnavailableError(f"metrics location has no bucket or key: {uri!r}")
    return bucket, key


class S3MetricsReader:
    def __init__(self, client: Any) -> None:
        self._client = client

    def read(self, uri: str) -> bytes:
        bucket, key = split_s3_uri(uri)
        try:
            response = self._client.get_object(Bucket=bucket, Key=key)
        except ClientError as error:
            raise MetricsUnavailableError(f"cannot read {uri}: {error_code(error)}") from None
        if response.get("ContentLength", 0) > MAX_METRICS_BYTES:
            raise MetricsUnavailableError(f"{uri} is larger than {MAX_METRICS_BYTES} bytes")
        body: bytes = response["Body"].read()
        return body
