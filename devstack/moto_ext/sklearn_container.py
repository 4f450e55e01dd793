"""SageMaker's scikit-learn framework container (the `sagemaker-scikit-learn` images), default handlers.

The container has no model loader of its own: every user gives it a `model_fn`, and the usual one (the
SageMaker examples') is `joblib.load` of the model directory's `model.joblib`. That is the one emulated:
the artifact holds a joblib file (`model.joblib`, else the only `*.joblib` or `*.pkl`). An inference
script in the artifact (`code/inference.py`) is not run; its default handlers are:
- input (`Content-Type`): `application/json` (an array, `[[...], ...]`), `text/csv` (rows; a single row
  is squeezed to one dimension, and scikit-learn then refuses it with a 500, as the container does) or
  `application/x-npy`; any other is a 415;
- predict: `model.predict(rows)` (labels for a classifier, not probabilities);
- output (`Accept`): `application/json` (a JSON array, the default) `text/csv` (one value a line) or
  `application/x-npy`; any other is a 406.
"""

from __future__ import annotations

import io
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from devstack.moto_ext.model_containers import Answer, ArtifactError, media_type, model_files

_JSON, _CSV, _NPY = "application/json", "text/csv", "application/x-npy"


class SklearnContainer:
    def __init__(self, model: Any, default_accept: str) -> None:
        self._model = model
        self._default_accept = default_accept

    def invoke(self, body: bytes, content_type: str | None, accept: str | None) -> Answer:
        kind = media_type(content_type) or _JSON
        if kind not in (_JSON, _CSV, _NPY):
            return _error(415, f"Content type {kind} is not supported by this framework.")
        try:
            rows = _decode(body, kind)
            predictions = self._model.predict(rows)
        except Exception as error:  # noqa: BLE001 - the container's default handlers answer any failure with a 500
            return Answer(500, f"{type(error).__name__}: {error}".encode(), "text/html; charset=utf-8")
        chosen = media_type(accept)
        chosen = self._default_accept if chosen in ("", "*/*") else chosen
        if chosen not in (_JSON, _CSV, _NPY):
            return _error(406, f"Content type {chosen} is not supported by this framework.")
        return Answer(200, _encode(predictions, chosen), chosen)


def load(model_dir: Path, environment: Mapping[str, str]) -> SklearnContainer:
    import joblib

    candidates = [file for file in model_files(model_dir) if file.suffix in (".joblib", ".pkl")]
    chosen = next((file for file in candidates if file.name == "model.joblib"), None)
    if chosen is None and len(candidates) != 1:
        raise ArtifactError("the model data archive holds no model.joblib (the model_fn loads it with joblib.load)")
    path = chosen or candidates[0]
    try:
        model = joblib.load(path)  # a pickle, as every scikit-learn model_fn loads one
    except Exception as error:  # noqa: BLE001 - any failure to load is the artifact's
        raise ArtifactError(f"model_fn could not load {path.name}: {type(error).__name__}: {error}") from None
    if not callable(getattr(model, "predict", None)):
        raise ArtifactError(f"{path.name} holds a {type(model).__name__}, which has no predict()")
    return SklearnContainer(model, environment.get("SAGEMAKER_DEFAULT_INVOCATIONS_ACCEPT", _JSON))


def _decode(body: bytes, kind: str) -> Any:
    import numpy

    if kind == _JSON:
        return numpy.array(json.loads(body))
    if kind == _NPY:
        return numpy.load(io.BytesIO(body), allow_pickle=False)
    rows = [line.split(",") for line in body.decode("utf-8").splitlines() if line.strip()]
    return numpy.array(rows).squeeze().astype(numpy.float32)


def _encode(predictions: Any, accept: str) -> bytes:
    import numpy

    values = numpy.asarray(predictions)
    if accept == _JSON:
        return json.dumps(values.tolist()).encode()
    if accept == _NPY:
        buffer = io.BytesIO()
        numpy.save(buffer, values)
        return buffer.getvalue()
    column = values.reshape(-1, 1) if values.ndim == 1 else values
    return "".join(",".join(str(cell) for cell in row) + "\n" for row in column.tolist()).encode()


def _error(status: int, message: str) -> Answer:
    body = {"error": "UnsupportedFormatError", "error-message": message}
    return Answer(status, json.dumps(body).encode(), _JSON)
