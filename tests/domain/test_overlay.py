"""A map read through to another with a few entries changed, removed or added."""

from __future__ import annotations

from collections.abc import Mapping

from hypothesis import given
from hypothesis import strategies as st

from hoshin.domain.overlay import DEEPEST, Overlay, overlaid


def test_changed_entries_keep_their_place_new_ones_come_last_gone_ones_vanish() -> None:
    below = {"a": 1, "b": 2, "c": 3}
    layer = overlaid(below, {"b": 20, "d": 4}, {"c", "x"})
    assert list(layer.items()) == [("a", 1), ("b", 20), ("d", 4)]
    assert len(layer) == 3 and "c" not in layer and layer.get("c") is None
    assert layer == {"a": 1, "b": 20, "d": 4} and below == {"a": 1, "b": 2, "c": 3}


def test_a_key_both_gone_and_changed_is_changed() -> None:
    assert dict(overlaid({"a": 1}, {"a": 2}, {"a"})) == {"a": 2}


def test_overlays_deeper_than_the_limit_become_a_plain_dict() -> None:
    layer: Mapping[str, int] = {"k0": 0}
    for depth in range(1, DEEPEST + 1):
        layer = overlaid(layer, {f"k{depth}": depth}, set())
        assert isinstance(layer, Overlay) == (depth < DEEPEST)
    assert layer == {f"k{n}": n for n in range(DEEPEST + 1)}


keys = st.sampled_from("abcdefgh")


@given(
    st.dictionaries(keys, st.integers()),
    st.lists(st.tuples(st.dictionaries(keys, st.integers()), st.sets(keys)), max_size=12),
)
def test_layers_read_like_the_dict_made_by_applying_each_change(
    below: dict[str, int], layers: list[tuple[dict[str, int], set[str]]]
) -> None:
    expected = dict(below)
    got: Mapping[str, int] = below
    for changed, gone in layers:
        for key in gone - changed.keys():
            expected.pop(key, None)
        expected |= {k: v for k, v in changed.items() if k in expected}
        expected |= {k: v for k, v in changed.items() if k not in expected}
        got = overlaid(got, changed, gone)
        assert list(got.items()) == list(expected.items())  # the same order too
        assert len(got) == len(expected)
