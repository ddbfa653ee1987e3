"""A catalogue's entries are checked when read: every field there and well-formed, each id
and each name once; the error lists every problem with the indicator's place."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hoshin.domain.assist.catalogue import SECTORS, Kpi, kpis_of
from hoshin.errors import InvalidInput


def entry(**changes: Any) -> dict[str, Any]:
    """A whole catalogue entry (scrap rate), with ``changes``."""
    whole = {
        "id": "scrap-rate",
        "name": "Scrap rate",
        "unit": "%",
        "direction": "decrease",
        "frequency": "monthly",
        "sector": "manufacturing",
        "definition": "Units scrapped as a share of units produced in the period.",
    }
    return whole | changes


def problems(entries: object) -> list[str]:
    with pytest.raises(InvalidInput) as raised:
        kpis_of(entries, source="catalogue.yaml")
    assert isinstance(raised.value.detail, list)
    return [str(problem) for problem in raised.value.detail]


def test_a_whole_entry_is_an_indicator_and_its_text_is_name_and_definition() -> None:
    (kpi,) = kpis_of([entry(name="  Scrap rate ")])
    assert kpi == Kpi(
        id="scrap-rate",
        name="Scrap rate",  # stripped
        unit="%",
        direction="decrease",
        frequency="monthly",
        definition="Units scrapped as a share of units produced in the period.",
        sector="manufacturing",
    )
    assert kpi.text() == "Scrap rate: Units scrapped as a share of units produced in the period."


def test_each_problem_is_listed_with_the_indicator_it_is_in() -> None:
    found = problems(
        [
            entry(),
            entry(id="Scrap Rate", name="Scrap 2", direction="down", colour="red"),
            entry(id="x", name="X", unit=""),
            {"id": "y"},
            "scrap",
        ]
    )
    assert found[:4] == [
        "catalogue.yaml, indicator 2: has the unknown field 'colour'",
        "catalogue.yaml, indicator 2: id: 'Scrap Rate' is no slug (lower-case words joined by '-')",
        "catalogue.yaml, indicator 2: direction: 'down' is not one of increase, decrease, maintain",
        "catalogue.yaml, indicator 3: unit: is missing or empty",
    ]
    # entry 4 lacks six of the seven fields; entry 5 is no mapping at all
    assert sum("indicator 4:" in problem for problem in found) == 6
    assert found[-1].startswith("catalogue.yaml, indicator 5: is not a mapping of id, name")


def test_an_id_or_a_name_said_twice_is_refused_and_names_differ_by_more_than_case() -> None:
    found = problems([entry(), entry(name="Scrap share"), entry(id="scrap-2", name="SCRAP RATE")])
    assert found == [
        "catalogue.yaml, indicator 2: the id 'scrap-rate' is indicator 1's already",
        "catalogue.yaml, indicator 3: the name 'SCRAP RATE' is indicator 1's already",
    ]


def test_the_message_counts_the_problems_and_names_the_first() -> None:
    with pytest.raises(InvalidInput, match=r"^catalogue.yaml has 2 problem\(s\): .*indicator 1"):
        kpis_of([entry(sector="retail", frequency="weekly")], source="catalogue.yaml")


@pytest.mark.parametrize("entries", [None, [], {"scrap-rate": entry()}, "- id: x"])
def test_a_catalogue_is_a_list_of_entries(entries: object) -> None:
    with pytest.raises(InvalidInput, match="is not a list of indicators"):
        kpis_of(entries)


def test_a_field_too_long_or_with_a_control_character_is_refused() -> None:
    found = problems([entry(name="n" * 301, definition="Units\x00 scrapped.")])
    assert found == [
        "catalogue.yaml, indicator 1: name: is 301 characters long: at most 300",
        "catalogue.yaml, indicator 1: definition: contains the control character U+0000, "
        "which is not allowed",
    ]


NAMES = st.text(min_size=1, max_size=40).filter(lambda s: bool(s.strip()) and s.isprintable())


@given(st.sampled_from(SECTORS), NAMES)
def test_any_sector_and_any_printable_name_make_an_indicator(sector: str, name: str) -> None:
    (kpi,) = kpis_of([entry(sector=sector, name=name)])
    assert (kpi.sector, kpi.name) == (sector, name.strip())
