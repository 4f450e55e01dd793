"""A version's S3 artifacts (model data, metrics documents), deleted when a policy asks for it."""

from __future__ import annotations

from typing import Any

from botocore.exceptions import ClientError

from chalicelib.adapters.aws import error_code, error_message
from chalicelib.adapters.s3_metrics import split_s3_uri
from chalicelib.shared.errors import DeleteFailedError, MetricsUnavailableError


class S3ArtifactStore:
    def __init__(self, client: Any) -> None:
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
