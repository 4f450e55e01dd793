"""SageMaker's XGBoost algorithm container (the `sagemaker-xgboost` images), as its serving code answers.

- The model: the first file of the model directory (training writes `xgboost-model`), an XGBoost model
  file (JSON, UBJSON or the old binary) or a pickled Booster; one predicting thread, as the container sets.
- Request `Content-Type`: `text/csv` (the default), `text/libsvm` or `text/x-libsvm`; any other (JSON
  included: the algorithm does not read it) is a 415. The feature count must match the model's (or be one
  fewer), else a 400.
- `Accept`: `application/json` -> `{"predictions": [{"score": p}, ...]}`; `application/jsonlines` -> one
  `{"score": p}` a line; `text/csv` -> one score a line; none or `*/*` -> the model's
  `SAGEMAKER_DEFAULT_INVOCATIONS_ACCEPT`, else `text/csv`; any other is a 406.
Not emulated: recordio-protobuf and parquet requests, selectable inference output
(`SAGEMAKER_INFERENCE_OUTPUT`) and ensembles of several model files.
"""

from __future__ import annotations

import json
import pickle
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from devstack.moto_ext.model_containers import Answer, ArtifactError, media_type, model_files

_LIBSVM = ("text/libsvm", "text/x-libsvm")
_ACCEPTS = ("application/json", "application/jsonlines", "application/x-recordio-protobuf", "text/csv")
_CONTENT_TYPES = (
    "csv, libsvm, parquet, recordio-protobuf, text/csv, text/libsvm, text/x-libsvm, "
    "application/x-parquet, application/x-recordio-protobuf"
)


class XGBoostContainer:
    def __init__(self, booster: Any, default_accept: str) -> None:
        self._booster = booster
        self._default_accept = default_accept

    def invoke(self, body: bytes, content_type: str | None, accept: str | None) -> Answer:
        if not body:
            return Answer(204, b"", "text/csv")
        kind = media_type(content_type) or "text/csv"
        if kind != "text/csv" and kind not in _LIBSVM:
            return _text(415, f"{kind} is not an accepted ContentType: {_CONTENT_TYPES}.")
        try:
            rows = _csv(body) if kind == "text/csv" else _libsvm(body)
        except ValueError as error:
            return _text(
                415, f"Loading {kind} data failed with Exception, please ensure data is in {kind} format: {error}"
            )
        expected, found = self._booster.num_features(), rows.shape[1]
        if kind == "text/csv" and found not in (expected, expected - 1):
            return _text(
                400,
                f"Unable to evaluate payload provided: Feature size of csv inference data {found} is not "
                f"consistent with feature size of trained model {expected}.",
            )
        scores = self._predict(rows)
        chosen = media_type(accept)
        chosen = self._default_accept if chosen in ("", "*/*") else chosen
        if chosen not in _ACCEPTS or chosen == "application/x-recordio-protobuf":
            return _text(
                406, f"Accept type {chosen} is not supported. Please use supported accept types: {list(_ACCEPTS)}."
            )
        return Answer(200, _encode(scores, chosen), chosen)

    def _predict(self, rows: Any) -> list[float]:
        import xgboost

        matrix = xgboost.DMatrix(rows, nthread=1)
        scores: list[float] = self._booster.predict(matrix, validate_features=False).tolist()
        return scores


def load(model_dir: Path, environment: Mapping[str, str]) -> XGBoostContainer:
    import xgboost

    files = model_files(model_dir)
    if not files:
        raise ArtifactError("the model data archive holds no model file (training writes xgboost-model)")
    path = next((file for file in files if file.name == "xgboost-model"), files[0])
    booster = xgboost.Booster()
    try:
        booster.load_model(bytearray(path.read_bytes()))  # JSON, UBJSON or binary, told apart by content
    except xgboost.core.XGBoostError as xgb_error:
        booster = _unpickled(path, xgb_error)
    booster.set_param("nthread", "1")
    return XGBoostContainer(booster, environment.get("SAGEMAKER_DEFAULT_INVOCATIONS_ACCEPT", "text/csv"))


def _unpickled(path: Path, xgb_error: Exception) -> Any:
    import xgboost

    try:
        with path.open("rb") as file:
            booster = pickle.load(file)
    except Exception as pickle_error:  # noqa: BLE001 - any failure to load is the artifact's
        raise ArtifactError(
            f"Model {path.name} cannot be loaded: Pickle load error={pickle_error}; XGB load model error={xgb_error}"
        ) from None
    if not isinstance(booster, xgboost.Booster):
        raise ArtifactError(f"Model {path.name} is a pickled {type(booster).__name__}, not an xgboost Booster")
    return booster


def _csv(body: bytes) -> Any:
    import numpy

    lines = body.decode("utf-8").strip().split("\n")
    cells = [["nan" if cell == "" else cell for cell in line.strip().split(",")] for line in lines]
    if len({len(row) for row in cells}) != 1:
        raise ValueError("rows of different lengths")
    return numpy.array(cells).astype(float)


def _libsvm(body: bytes) -> Any:
    import numpy

    rows = [dict(token.split(":", 1) for token in line.split() if ":" in token) for line in body.decode().splitlines()]
    width = max((int(index) for row in rows for index in row), default=0)
    data = numpy.full((len(rows), width), numpy.nan)
    for number, row in enumerate(rows):
        for index, value in row.items():
            data[number, int(index) - 1] = float(value)
    return data


def _encode(scores: list[float], accept: str) -> bytes:
    if accept == "application/json":
        return json.dumps({"predictions": [{"score": score} for score in scores]}).encode()
    if accept == "application/jsonlines":
        return "".join(json.dumps({"score": score}) + "\n" for score in scores).encode()
    return "".join(f"{score}\n" for score in scores).encode()


def _text(status: int, message: str) -> Answer:
    return Answer(status, message.encode(), "text/html; charset=utf-8")
