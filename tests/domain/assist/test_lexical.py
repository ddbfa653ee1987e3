"""The lexical space: TF-IDF by hand on a three-text toy, and its properties."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from hoshin.domain.assist import lexical
from hoshin.domain.assist.lexical import lexical_space

TOY = ["Cut warranty claims", "Warranty claims per 1,000 pumps", "Grow service revenue"]


def test_tf_idf_of_a_three_text_toy_by_hand() -> None:
    space = lexical_space(TOY)
    # terms: {cut, warranty, claim} {warranty, claim, pump} ("per" a stop word, 1 and 000
    # digits) {grow, service, revenue}; n = 3.
    # idf (smooth): warranty, claim (df 2): ln(4/3) + 1 = 1.28768; the others (df 1):
    # ln(4/2) + 1 = 1.69315.
    # texts 1 and 2 share warranty and claim; each has one term of its own:
    # |t1|^2 = |t2|^2 = 1.69315^2 + 2 * 1.28768^2 = 2.86675 + 3.31625 = 6.18300
    # cos = 3.31625 / 6.18300 = 0.53635
    assert space.name == "lexical"
    assert space.similarity(TOY[0], TOY[1]) == pytest.approx(0.53635, abs=1e-4)
    assert space.similarity(TOY[0], TOY[2]) == 0.0  # no term in common
    # the weight of "cut" in text 1: 1.69315 / sqrt(6.18300) = 0.68092
    assert float(np.max(space.vector(TOY[0]))) == pytest.approx(0.68092, abs=1e-4)


def test_a_repeated_term_counts_twice() -> None:
    space = lexical_space(["claims and claims", "claims", "seals"])
    # claim: df 2, idf ln(4/3) + 1; text 1 is 2 * that on the one column: unit after all
    assert space.similarity("claims and claims", "claims") == pytest.approx(1.0)


def test_a_text_of_stop_words_is_similar_to_nothing() -> None:
    space = lexical_space(["for all of the year", "Cut claims"])
    assert space.similarity("for all of the year", "Cut claims") == 0.0
    assert float(np.linalg.norm(space.vector("for all of the year"))) == 0.0


def test_a_text_given_twice_has_one_row() -> None:
    space = lexical_space(["Cut claims", "Cut claims", "Grow revenue"])
    assert space.matrix.shape[0] == 2 and len(space.rows) == 2


def test_many_texts_are_hashed_into_fewer_columns(monkeypatch: pytest.MonkeyPatch) -> None:
    # 6 texts x 12 terms = 72 cells above a budget of 30: 30 // 6 = 5 columns, at least 8
    monkeypatch.setattr(lexical, "CELLS", 30)
    monkeypatch.setattr(lexical, "MIN_COLUMNS", 8)
    texts = [f"alpha{k} beta{k}" for k in range(6)]
    space = lexical_space(texts)
    assert space.matrix.shape == (6, 8)
    norms = np.linalg.norm(space.matrix, axis=1)
    assert norms == pytest.approx(np.ones(6))  # unit rows after the collisions


@given(st.lists(st.text(alphabet="abcde fgh", min_size=0, max_size=30), min_size=1, max_size=8))
def test_rows_are_unit_or_zero_and_similarities_in_0_1(texts: list[str]) -> None:
    space = lexical_space(texts)
    norms = np.linalg.norm(space.matrix, axis=1)
    assert all(math.isclose(n, 1.0, abs_tol=1e-5) or n == 0.0 for n in norms.tolist())
    grams = space.matrix @ space.matrix.T
    assert float(grams.min()) >= 0.0 and float(grams.max()) <= 1.0 + 1e-5
