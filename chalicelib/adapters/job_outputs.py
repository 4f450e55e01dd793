"""A smoke transform job's output objects, read from S3 under the job's own output prefix.

SageMaker writes one `<input object>.out` per input object. A smoke job's sample input is small: at most
MAX_OBJECTS are read, each up to MAX_OBJECT_BYTES, so a wrong input path (a whole data lake) costs little.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from botocore.exceptions import ClientError

from chalicelib.adapters.aws import error_code, error_message
from chalicelib.release.batch_ports import OutputObject
from chalicelib.shared.errors import ReleaseStepError

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client

MAX_OBJECTS = 20
MAX_OBJECT_BYTES = 1024 * 1024


class S3JobOutputs:
    def __init__(self, client: S3Client) -> None:
        self._client = client

    def read(self, prefix_uri: str) -> tuple[OutputObject, ...]:
        bucket, _, prefix = prefix_uri.removeprefix("s3://").partition("/")
        try:
            listed = self._client.list_objects_v2(Bucket=bucket, Prefix=prefix, MaxKeys=MAX_OBJECTS)
            found = sorted((item["Key"], item.get("Size", 0)) for item in listed.get("Contents", []))
            return tuple(OutputObject(key, self._head(bucket, key, size)) for key, size in found if key[-1] != "/")
        except ClientError as error:
            raise ReleaseStepError(f"cannot read the output at {prefix_uri}: {_why(error)}") from None

    def _head(self, bucket: str, key: str, size: int) -> bytes:
        if size == 0:  # S3 refuses a range of an empty object
            return b""
        response = self._client.get_object(Bucket=bucket, Key=key, Range=f"bytes=0-{MAX_OBJECT_BYTES - 1}")
        return response["Body"].read(MAX_OBJECT_BYTES)


def _why(error: ClientError) -> str:
    return f"{error_code(error)}: {error_message(error)}"
