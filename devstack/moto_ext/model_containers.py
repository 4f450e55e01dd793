"""The inference containers the local stack can stand in for, chosen by image, loaded from a model.tar.gz.

A container is what SageMaker runs behind an endpoint: it loads the model directory (the artifact,
unpacked) once, then answers each invocation with an HTTP status, a body and a content type. Two are
emulated, each after its own serving code: SageMaker's XGBoost algorithm container
(devstack.moto_ext.xgboost_container) and its scikit-learn framework container
(devstack.moto_ext.sklearn_container). Any other image is not: `container_for` answers None.
"""

from __future__ import annotations

import io
import re
import tarfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

# ECR repositories of SageMaker's own images (any registry account, region or tag).
_FRAMEWORKS = {
    "xgboost": re.compile(r"/sagemaker-xgboost:"),
    "sklearn": re.compile(r"/sagemaker-scikit-learn:"),
}


@dataclass(frozen=True)
class Answer:
    """What the container answered: SageMaker returns a 2xx as it is and anything else as a ModelError."""

    status: int
    body: bytes
    content_type: str


class ArtifactError(Exception):
    """The model data cannot be served: the endpoint fails to come up, with this as its FailureReason."""


class Container(Protocol):
    def invoke(self, body: bytes, content_type: str | None, accept: str | None) -> Answer: ...


Loader = Callable[[Path, Mapping[str, str]], Container]


def framework_of(image: str) -> str | None:
    return next((name for name, pattern in _FRAMEWORKS.items() if pattern.search(image)), None)


def container_for(image: str, model_dir: Path, environment: Mapping[str, str]) -> Container | None:
    """The emulated container for this image, with the model in model_dir loaded; None: not emulated."""
    framework = framework_of(image)
    if framework is None:
        return None
    return _loaders()[framework](model_dir, environment)


def _loaders() -> dict[str, Loader]:
    # Imported when a model is first served: numpy, xgboost and scikit-learn take a second to import.
    from devstack.moto_ext import sklearn_container, xgboost_container

    return {"xgboost": xgboost_container.load, "sklearn": sklearn_container.load}


def unpack(archive: bytes, target: Path, url: str) -> None:
    """model.tar.gz into the model directory, as SageMaker does before the container starts."""
    try:
        with tarfile.open(fileobj=io.BytesIO(archive), mode="r:*") as tar:
            tar.extractall(target, filter="data")  # nothing outside target, no devices or links out
    except (tarfile.TarError, EOFError, OSError) as error:
        raise ArtifactError(
            f'Failed to extract model data archive from URL "{url}". '
            f"Please ensure that the object located at the URL is a valid tar.gz archive. ({error})"
        ) from None


def model_files(model_dir: Path) -> list[Path]:
    """The regular files at the top of the model directory, dotfiles left out (as the containers do)."""
    return sorted(path for path in model_dir.iterdir() if path.is_file() and not path.name.startswith("."))


def media_type(header: str | None) -> str:
    return (header or "").split(";", 1)[0].strip().lower()
