"""The plan's model space in the background (runtime.assist_spaces): made once per plan
structure by a thread, from the previous one when an edit changed a few texts, never on
the asker's thread."""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from dataclasses import replace
from datetime import date

import numpy as np
import pytest

from hoshin.domain.analysis import analyze
from hoshin.domain.assist.words import plan_texts
from hoshin.domain.model import Metric, Objective, Organization, Plan
from hoshin.runtime import assist_spaces
from hoshin.runtime.assist_spaces import lexical_plan_space, plan_space, wait_for_space
from hoshin.service.analysis import Analysed
from hoshin.service.assist.embedding import embed

AS_OF = date(2026, 6, 15)
WAIT = 60.0  # seconds at most: the thread is only waited for, never timed


_CLAIMS = Metric(id="m1", name="Warranty claims", direction="maintain", minimum=0, maximum=5)


def _plan(*titles: str, name: str = "Acme") -> Plan:
    """Annual objectives with these titles, the first with the metric 'Warranty claims'."""
    objectives = [
        Objective(id=f"o{at}", title=title, level="annual") for at, title in enumerate(titles)
    ]
    objectives[0] = replace(objectives[0], metrics=(_CLAIMS,))
    return Plan(organization=Organization(name), objectives=tuple(objectives))


def _found(plan: Plan) -> Analysed:
    # as the analysis cache makes it: the index map stands for the plan's structure
    index = {o.id: at for at, o in enumerate(plan.objectives)}
    return Analysed(1, plan, analyze(plan, AS_OF), {}, index)


@pytest.fixture(autouse=True)
def embedded(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[list[str]]]:
    """Each call of the model, with its texts (the real model answers)."""
    calls: list[list[str]] = []

    def counted(texts: Sequence[str]) -> np.ndarray:
        calls.append(list(texts))
        return embed(texts)

    monkeypatch.setattr(assist_spaces, "embed", counted)
    assist_spaces.forget()
    yield calls
    assist_spaces.forget()


TITLES = ("Halve warranty claims", "Grow service revenue", "Zero lost-time injuries")


def test_the_space_knows_every_text_of_the_plan_and_is_made_once(
    embedded: list[list[str]],
) -> None:
    """3 objective texts + 1 metric text = 4 texts, embedded in one call; a second ask and
    a later version with the same structure (new actuals) embed nothing."""
    plan = _plan(*TITLES)
    found = _found(plan)
    space = wait_for_space(found, WAIT)
    assert space is not None and space.name == "model"
    assert set(space.rows) == set(plan_texts(plan))
    assert len(space.rows) == 4
    assert embedded == [plan_texts(plan)]
    same_structure = Analysed(2, plan, found.analysis, {}, found.objective_at)
    assert plan_space(same_structure) is space
    assert len(embedded) == 1
    # the vectors are the model's: a text's row is its own embedding
    text = "Halve warranty claims. Warranty claims"
    assert np.allclose(space.vector(text), embed([text])[0], atol=1e-6)


def test_an_edit_embeds_only_the_changed_text(embedded: list[list[str]]) -> None:
    """Renaming one of 3 objectives: 1 of 4 texts is new (at most half), so the next
    space is the previous one plus 1 embedded text; the old title's row stays (1 stale row
    of 4 texts is not more than a quarter) and harms nothing: a superset serves."""
    first = wait_for_space(_found(_plan(*TITLES)), WAIT)
    assert first is not None
    edited = _plan("Halve warranty claims", "Grow aftermarket revenue", "Zero lost-time injuries")
    space = wait_for_space(_found(edited), WAIT)
    assert space is not None
    assert embedded[1:] == [["Grow aftermarket revenue"]]
    assert set(space.rows) == {*plan_texts(edited), "Grow service revenue"}
    # the old rows are the first space's, the new one the model's
    claims = "Halve warranty claims. Warranty claims"
    assert np.array_equal(space.vector(claims), first.vector(claims))
    new = "Grow aftermarket revenue"
    assert np.allclose(space.vector(new), embed([new])[0], atol=1e-6)


def test_an_edit_that_leaves_many_stale_rows_makes_the_space_compact(
    embedded: list[list[str]],
) -> None:
    """Renaming 2 of 3: 2 of 4 texts new (half: still grown, 2 embedded), but 2 stale rows
    are more than a quarter of 4, so the space holds exactly the plan's 4 texts."""
    first = wait_for_space(_found(_plan(*TITLES)), WAIT)
    assert first is not None
    edited = _plan("Halve warranty claims", "Open two clinics", "Cut lead time")
    space = wait_for_space(_found(edited), WAIT)
    assert space is not None
    assert embedded[1:] == [["Open two clinics", "Cut lead time"]]
    assert set(space.rows) == set(plan_texts(edited)) and len(space.matrix) == 4
    claims = "Halve warranty claims. Warranty claims"
    assert np.array_equal(space.vector(claims), first.vector(claims))
    assert np.allclose(space.vector("Cut lead time"), embed(["Cut lead time"])[0], atol=1e-6)


def test_a_deleted_objective_keeps_the_same_space(embedded: list[list[str]]) -> None:
    """Deleting an objective adds no text: the previous space serves as it is."""
    first = wait_for_space(_found(_plan(*TITLES)), WAIT)
    assert wait_for_space(_found(_plan(*TITLES[:2])), WAIT) is first
    assert len(embedded) == 1


def test_a_plan_of_mostly_new_texts_is_embedded_whole(embedded: list[list[str]]) -> None:
    """An import of another plan: 4 of its 4 texts are new (more than half), so they are
    embedded in one whole pass, not grown from the previous space."""
    assert wait_for_space(_found(_plan(*TITLES)), WAIT) is not None
    other = _plan("Cut lead time", "Keep first-pass yield high", "Open two clinics")
    space = wait_for_space(_found(other), WAIT)
    assert space is not None
    assert embedded[1:] == [plan_texts(other)]


def test_the_first_ask_does_not_wait_for_the_model(monkeypatch: pytest.MonkeyPatch) -> None:
    """The model is held until the asker has its answer: None, and the space comes after."""
    let_go = threading.Event()

    def held(texts: Sequence[str]) -> np.ndarray:
        assert let_go.wait(WAIT)
        return embed(texts)

    monkeypatch.setattr(assist_spaces, "embed", held)
    found = _found(_plan(*TITLES))
    assert plan_space(found) is None
    assert plan_space(found) is None  # asked again: the same thread, not a second one
    let_go.set()
    assert wait_for_space(found, WAIT) is not None
    assert [t.name for t in threading.enumerate()].count("assist-space") == 0


def test_two_organisations_keep_spaces_of_their_own(embedded: list[list[str]]) -> None:
    """Acme and Globex (org keys 1 and 2) each have their plan's space: Globex's two texts
    are embedded for it (half of them are Acme's too, but Acme is not its predecessor), and
    neither replaces the other."""
    acme, globex = _found(_plan(*TITLES)), _found(_plan("Open two clinics", name="Globex"))
    first = wait_for_space(acme, WAIT, org=1)
    second = wait_for_space(globex, WAIT, org=2)
    assert first is not None and second is not None
    clinics = "Open two clinics. Warranty claims"
    assert clinics in second and clinics not in first
    assert plan_space(acme, org=1) is first
    assert embedded[1:] == [[clinics, "Warranty claims"]]


def test_a_broken_model_leaves_the_assistant_lexical(monkeypatch: pytest.MonkeyPatch) -> None:
    """The model fails: the space stays None (the caller answers lexically), no error."""

    def broken(texts: Sequence[str]) -> np.ndarray:
        raise RuntimeError("no model")

    monkeypatch.setattr(assist_spaces, "embed", broken)
    found = _found(_plan(*TITLES))
    assert wait_for_space(found, WAIT) is None
    assert plan_space(found) is None


def test_the_lexical_fallback_is_made_once_and_dropped_for_the_models(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """While the model is held, the plan's lexical space (its 4 texts; without the metric's,
    the 3 objectives') is made once and kept for the next ask; once the model's space is
    ready it is forgotten."""
    let_go = threading.Event()

    def held(texts: Sequence[str]) -> np.ndarray:
        assert let_go.wait(WAIT)
        return embed(texts)

    monkeypatch.setattr(assist_spaces, "embed", held)
    plan = _plan(*TITLES)
    found = _found(plan)
    lexical = lexical_plan_space(found)
    assert lexical.name == "lexical" and set(lexical.rows) == set(plan_texts(plan))
    assert lexical_plan_space(found) is lexical
    objectives = lexical_plan_space(found, whole=False)  # what parents and addresses read
    assert set(objectives.rows) == set(plan_texts(plan)[:3]) and "Warranty claims" not in objectives
    let_go.set()
    assert wait_for_space(found, WAIT) is not None
    assert lexical_plan_space(found) is not lexical  # made again: none kept any more


def test_the_objectives_texts_serve_before_the_metrics_are_embedded(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """One text a chunk: the 3 objectives' texts come first, then 'Warranty claims'. While
    the metric's chunk is held, plan_space(whole=False) is the objectives' 3 rows (what
    parents need) and the whole space is not there yet; let go, it is."""
    reached, let_go = threading.Event(), threading.Event()

    def held(texts: Sequence[str]) -> np.ndarray:
        if list(texts) == ["Warranty claims"]:
            reached.set()
            assert let_go.wait(WAIT)
        return embed(texts)

    monkeypatch.setattr(assist_spaces, "embed", held)
    monkeypatch.setattr(assist_spaces, "CHUNK", 1)
    found = _found(_plan(*TITLES))
    assert plan_space(found) is None
    assert reached.wait(WAIT)
    partial = plan_space(found, whole=False)
    assert partial is not None and len(partial.rows) == 3
    assert "Warranty claims" not in partial
    assert plan_space(found) is None
    let_go.set()
    space = wait_for_space(found, WAIT)
    assert space is not None and "Warranty claims" in space
    assert plan_space(found, whole=False) is space


def test_an_import_right_after_another_stops_the_first_embedding(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """One text a chunk. Acme's plan A is being embedded (its first chunk held) when a plan
    B of other texts is asked for: A, no longer asked, stops before its second chunk, and
    B's 4 texts are embedded in its turn: 1 chunk of A, then 4 of B."""
    reached, let_go = threading.Event(), threading.Event()
    calls: list[list[str]] = []

    def held(texts: Sequence[str]) -> np.ndarray:
        calls.append(list(texts))
        if len(calls) == 1:
            reached.set()
            assert let_go.wait(WAIT)
        return embed(texts)

    monkeypatch.setattr(assist_spaces, "embed", held)
    monkeypatch.setattr(assist_spaces, "CHUNK", 1)
    # an ask waits until its plan's way is decided (B: whole, A told to stop), however slow
    monkeypatch.setattr(assist_spaces, "GROW_WAIT", WAIT)
    first = _plan(*TITLES)
    assert plan_space(_found(first)) is None
    assert reached.wait(WAIT)
    second = _plan("Cut lead time", "Keep first-pass yield high", "Open two clinics")
    found = _found(second)
    assert plan_space(found) is None
    let_go.set()
    space = wait_for_space(found, WAIT)
    assert space is not None and set(space.rows) == set(plan_texts(second))
    assert calls == [[plan_texts(first)[0]], *([text] for text in plan_texts(second))]
