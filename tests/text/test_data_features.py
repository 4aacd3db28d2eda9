from __future__ import annotations

import numpy as np
import pytest

import augviz
from augviz.text import RandomDeletion, featurize, load_reviews, load_text_csv, negation_probe
from augviz.text.base import NEGATIONS, tokenize


def test_reviews_are_balanced_with_negations_and_numbers():
    d = load_reviews()
    assert 300 <= len(d) <= 400
    assert d.classes == ("negative", "positive")
    assert abs(int(d.y.sum()) - len(d) / 2) <= 2
    assert len(set(d.texts)) == len(d)
    neg = sum(
        any(t.lower() in NEGATIONS or t.lower().endswith("n't") for t in tokenize(x))
        for x in d.texts
    )
    assert neg >= 50
    assert sum(any(c.isdigit() for c in x) for x in d.texts) >= 20
    train, val = d.split(200, rng=0)
    assert len(train) == 200
    assert len(val) == len(d) - 200
    assert abs(int(train.y.sum()) - 100) <= 1


def test_user_csv_and_its_errors(tmp_path):
    p = tmp_path / "mine.csv"
    p.write_text('review,stars\n"Great, really",5\nBad,1\n', encoding="utf-8")
    d = load_text_csv(p, text_column="review", label_column="stars")
    assert d.texts == ["Great, really", "Bad"]
    assert d.labels == ["5", "1"]
    with pytest.raises(augviz.InputError, match="no such file"):
        load_text_csv(tmp_path / "missing.csv")
    with pytest.raises(augviz.InputError, match=r"no column 'text'.*\['review', 'stars'\]"):
        load_text_csv(p)
    (tmp_path / "empty.csv").write_text("", encoding="utf-8")
    with pytest.raises(augviz.InputError, match="empty"):
        load_text_csv(tmp_path / "empty.csv")
    (tmp_path / "header.csv").write_text("text,label\n", encoding="utf-8")
    with pytest.raises(augviz.InputError, match="no rows"):
        load_text_csv(tmp_path / "header.csv")
    (tmp_path / "blank.csv").write_text("text,label\nhello,\n", encoding="utf-8")
    with pytest.raises(augviz.InputError, match="line 2"):
        load_text_csv(tmp_path / "blank.csv")
    with pytest.raises(augviz.InputError, match="folder"):
        load_text_csv(tmp_path)


def test_featurize_is_deterministic_and_sees_negation():
    X = featurize(["not good", "good", "", "Good!"])
    assert X.dtype == np.float32
    assert X.shape == (4, 2**14)
    assert np.array_equal(X, featurize(["not good", "good", "", "Good!"]))
    assert not np.array_equal(X[0], X[1])
    assert not X[2].any()
    assert np.array_equal(X[1], X[3])
    assert np.array_equal(featurize(["don't like"]), featurize(["do not like"]))
    with pytest.raises(augviz.InputError):
        featurize("a single string")


def test_deleting_negations_harms_accuracy():
    """The demo: with protection, deletion helps on a negation-driven task; without it,
    the model learns "The film was good." ← negative, and validation accuracy drops."""
    from sklearn.linear_model import LogisticRegression

    probe = negation_probe(rng=0)
    train, val = probe.split(300, rng=0)
    Xv = featurize(val.texts[:600], 2**12)
    scores = {}
    for arm, keep in (("none", None), ("protected", True), ("unprotected", False)):
        texts, y = list(train.texts), list(train.y)
        if keep is not None:
            t = RandomDeletion(alpha=0.3, keep_negations=keep)
            g = np.random.default_rng(0)
            for _ in range(2):
                texts += [t(x, rng=g) for x in train.texts]
                y += list(train.y)
        clf = LogisticRegression(C=10, solver="liblinear").fit(featurize(texts, 2**12), y)
        scores[arm] = clf.score(Xv, val.y[:600])
    assert scores["unprotected"] < scores["none"] - 0.02
    assert scores["unprotected"] < scores["protected"] - 0.04
