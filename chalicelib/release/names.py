"""Names of the SageMaker resources a release creates: valid, unique per attempt, grantable by prefix.

    <group, lowercased, at most 23 chars>-<6 hex of sha256(group)>-v<version>-<yymmddHHMMSS>-<attempt>[-stg|-prd]

The part before `-v` is the group's prefix: the same for every release of the group, so IAM grants
`model/<prefix>-v*` and `endpoint-config/<prefix>-v*` (infra/iam.py calls `name_prefix`). The hash is of the
full, case-sensitive group name: two groups that share their first 23 characters, or differ only in case,
still get different prefixes. Names are lowercase because IAM compares SageMaker ARNs lowercased.
The attempt is the group state's revision the release is claimed on: a conditional write lets only one
claim per revision succeed, so two attempts of one version in the same second still get different names.
"""

from __future__ import annotations

import hashlib
import re
from datetime import datetime

from chalicelib.shared.model_version import MAX_VERSION  # at most 10 digits

NAME_LIMIT = 63  # ModelName, EndpointConfigName, EndpointName in botocore's sagemaker service-2.json
SLUG_LIMIT = 23
STAGING_SUFFIX = "-stg"  # the staging endpoint config; on a batch target, the smoke transform job
PRODUCTION_SUFFIX = "-prd"
# Beside the champion on production's endpoint: its model and the challenger's as two production variants
# (progressive), or the challenger as a shadow. Four characters, like -prd: a longer suffix would not fit 63.
SPLIT_SUFFIX = "-spl"
SHADOW_SUFFIX = "-shd"
DIGEST_LENGTH = 6
ATTEMPT_SPACE = 36**3  # revisions wrap here: 46,656 writes inside one second would be needed to collide
_OUTSIDE_NAME = re.compile(r"[^a-z0-9]+")
_DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"


def name_prefix(group: str) -> str:
    """What every model and endpoint-config name of the group starts with (followed by `-v`)."""
    slug = _OUTSIDE_NAME.sub("-", group.lower()).strip("-")[:SLUG_LIMIT].rstrip("-") or "group"
    digest = hashlib.sha256(group.encode()).hexdigest()[:DIGEST_LENGTH]
    return f"{slug}-{digest}"


def resource_names(group: str, version: int, started: datetime, attempt: int) -> tuple[str, str, str]:
    """(model, staging endpoint config, production endpoint config) for one release attempt."""
    if not 1 <= version <= MAX_VERSION:
        raise ValueError(f"model package version {version} is outside 1..{MAX_VERSION}")
    model = f"{name_prefix(group)}-v{version}-{started.strftime('%y%m%d%H%M%S')}-{_base36(attempt % ATTEMPT_SPACE)}"
    return model, f"{model}{STAGING_SUFFIX}", production_config_of(model)


def production_config_of(model: str) -> str:
    return f"{model}{PRODUCTION_SUFFIX}"


def split_config_of(model: str) -> str:
    """The config of the challenger `model` beside the champion (weights change later, not the config)."""
    return f"{model}{SPLIT_SUFFIX}"


def shadow_config_of(model: str) -> str:
    return f"{model}{SHADOW_SUFFIX}"


def model_of_production_config(config: str) -> str:
    """A batch target has no endpoint config: its production "config" names the model the parameter publishes."""
    return config.removesuffix(PRODUCTION_SUFFIX)


def _base36(number: int) -> str:
    digits = ""
    while True:
        number, digit = divmod(number, 36)
        digits = _DIGITS[digit] + digits
        if number == 0:
            return digits
