"""A small fraud classifier, trained for real on seeded synthetic transactions: what the demo registers.

The columns are the example policy's smoke-test rows: amount, foreign (0/1), card present (0/1), at night
(0/1), merchant category (0-9), account age in months, IP risk (0-1). About one transaction in ten is
fraud. Everything is seeded: the same recipe gives the same model and the same metrics on every machine.
"""

from __future__ import annotations

import io
import tarfile
from dataclasses import dataclass
from typing import Any

FEATURES = ("amount", "foreign", "card_present", "night", "merchant_category", "account_age_months", "ip_risk")
THRESHOLD = 0.5  # a score at or above it is called fraud


@dataclass(frozen=True)
class Recipe:
    """How a version is trained: on how many transactions, how many rounds, and what it may see."""

    name: str
    samples: int = 4000
    rounds: int = 60
    depth: int = 4
    hidden: tuple[str, ...] = ()  # features blanked out in training: the model cannot learn from them
    shuffled_labels: bool = False  # labels permuted: a model that learned nothing


GOOD = Recipe("good")
BAD = Recipe("bad", shuffled_labels=True)
BORDERLINE = Recipe("borderline", samples=1500, rounds=15, depth=2, hidden=("ip_risk", "account_age_months"))
BETTER = Recipe("better", samples=8000, rounds=120)
RECIPES = {recipe.name: recipe for recipe in (GOOD, BAD, BORDERLINE, BETTER)}


@dataclass(frozen=True)
class Trained:
    recipe: Recipe
    booster: Any
    metrics: dict[str, float]  # auc, precision, recall, f1 on held-out transactions

    def artifact(self) -> bytes:
        """model.tar.gz as SageMaker's XGBoost training writes it: one file, `xgboost-model`."""
        model = bytes(self.booster.save_raw(raw_format="ubj"))
        return tar_gz({"xgboost-model": model})


def transactions(count: int, seed: int) -> tuple[Any, Any]:
    import numpy

    rng = numpy.random.default_rng(seed)
    fraud = rng.random(count) < 0.1
    pick = numpy.where
    columns = [
        numpy.round(pick(fraud, rng.lognormal(6.0, 1.3, count), rng.lognormal(4.3, 1.0, count)), 2),
        rng.random(count) < pick(fraud, 0.5, 0.1),
        rng.random(count) < pick(fraud, 0.3, 0.8),
        rng.random(count) < pick(fraud, 0.45, 0.2),
        pick(fraud & (rng.random(count) < 0.5), rng.integers(0, 3, count), rng.integers(0, 10, count)),
        numpy.round(pick(fraud, rng.exponential(8, count), rng.exponential(30, count))),
        numpy.clip(pick(fraud, rng.beta(4, 2, count), rng.beta(2, 5, count)), 0, 1),
    ]
    return numpy.column_stack(columns).astype(float), fraud.astype(int)


def train(recipe: Recipe, seed: int = 7) -> Trained:
    import numpy
    import xgboost

    features, labels = transactions(recipe.samples, seed)
    if recipe.shuffled_labels:
        labels = numpy.random.default_rng(seed + 1).permutation(labels)
    for name in recipe.hidden:
        features[:, FEATURES.index(name)] = 0.0
    params = {"objective": "binary:logistic", "max_depth": recipe.depth, "eta": 0.2, "nthread": 1, "seed": seed}
    booster = xgboost.train(params, xgboost.DMatrix(features, label=labels, nthread=1), recipe.rounds)
    return Trained(recipe, booster, evaluate(booster))


def evaluate(booster: Any, count: int = 4000, seed: int = 1234) -> dict[str, float]:
    """AUC, precision, recall and F1 at THRESHOLD on transactions the model never saw."""
    import xgboost
    from sklearn.metrics import f1_score, precision_score, recall_score, roc_auc_score

    features, labels = transactions(count, seed)
    scores = booster.predict(xgboost.DMatrix(features, nthread=1))
    called = (scores >= THRESHOLD).astype(int)
    measured = {
        "auc": roc_auc_score(labels, scores),
        "precision": precision_score(labels, called, zero_division=0),
        "recall": recall_score(labels, called, zero_division=0),
        "f1": f1_score(labels, called, zero_division=0),
    }
    return {name: round(float(value), 4) for name, value in measured.items()}


def tar_gz(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as tar:
        for name, data in files.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return buffer.getvalue()
