"""Metrics documents in the shapes users write, and everything we refuse to trust."""

from __future__ import annotations

import json

import pytest

from chalicelib.gate.metrics import parse_metrics_document
from chalicelib.shared.errors import MetricsUnavailableError


def test_flat_document_as_in_the_seed() -> None:
    assert parse_metrics_document(b'{"auc": 0.93, "precision": 0.9, "model": "xgb"}') == {"auc": 0.93, "precision": 0.9}


def test_binary_classification_report() -> None:
    report = {
        "binary_classification_metrics": {
            "auc": {"value": 0.93, "standard_deviation": 0.01},
            "recall": {"value": 0.8, "standard_deviation": 0.02},
            "confusion_matrix": {"0": {"0": 10, "1": 2}, "1": {"0": 1, "1": 12}},
            "receiver_operating_characteristic_curve": {"false_positive_rates": [0, 1], "true_positive_rates": [0, 1]},
        }
    }
    assert parse_metrics_document(json.dumps(report)) == {"auc": 0.93, "recall": 0.8}


def test_regression_report() -> None:
    report = {"regression_metrics": {"mse": {"value": 2.5, "standard_deviation": 0.1}, "r2": {"value": 0.7}}}
    assert parse_metrics_document(json.dumps(report)) == {"mse": 2.5, "r2": 0.7}


def test_multiclass_report() -> None:
    report = {"multiclass_classification_metrics": {"accuracy": {"value": 0.88}, "weighted_f1": {"value": 0.86}}}
    assert parse_metrics_document(json.dumps(report)) == {"accuracy": 0.88, "weighted_f1": 0.86}


@pytest.mark.parametrize(
    ("raw", "why"),
    [
        (b"not json", "not JSON"),
        (b"\xff\xfe", "not JSON"),
        (b"[0.9]", "must be a JSON object"),
        (b'"0.9"', "must be a JSON object"),
        (b'{"auc": NaN}', "auc is not a finite number"),
        (b'{"auc": Infinity}', "not a finite number"),
        (b'{"binary_classification_metrics": {"auc": {"value": -Infinity}}}', "not a finite number"),
        (b'{"auc": 1' + b"0" * 400 + b"}", "not a finite number"),
        (b'{"auc": "0.93"}', "no numeric metric"),
        (b'{"auc": true}', "no numeric metric"),
        (b"{}", "no numeric metric"),
    ],
)
def test_untrustworthy_documents_are_refused(raw: bytes, why: str) -> None:
    with pytest.raises(MetricsUnavailableError, match=why):
        parse_metrics_document(raw)


def test_a_metric_written_as_a_string_is_known_as_a_string_not_as_missing() -> None:
    from chalicelib.gate.metrics import read_metrics_document

    reading = read_metrics_document(b'{"auc": "0.95", "precision": 0.9, "calibrated": true}')
    assert reading.values == {"precision": 0.9}
    assert reading.problem("auc") == 'auc is a string ("0.95"), not a number'
    assert reading.problem("calibrated") == "calibrated is a boolean (true), not a number"
    assert reading.problem("recall") == "recall missing"


def test_a_document_with_only_strings_says_what_they_are() -> None:
    with pytest.raises(MetricsUnavailableError, match=r'auc is a string \("0.95"\)'):
        parse_metrics_document(b'{"auc": "0.95"}')
