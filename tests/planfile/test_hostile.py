"""Hostile plan files: nesting and aliases past the bounds are refused at a line, and the
cheap scans never let through what the exact walk would refuse."""

from __future__ import annotations

from typing import Any

import pytest
import yaml_rs
from hypothesis import given
from hypothesis import strategies as st

from hoshin.planfile import PlanFileError, parse_plan
from hoshin.planfile.guard import WIDE, _aliases_within, _wide_indent, check_yaml
from hoshin.planfile.locate import MAX_DEPTH, alias_budget, walk

HEAD = "hoshin: 1\norganization: {name: Acme}\n"
DEEP = f"nested deeper than {MAX_DEPTH} levels"


def problems(text: str, name: str = "plan.yaml") -> list[str]:
    """The reported problems of a plan text that must not load."""
    with pytest.raises(PlanFileError) as caught:
        parse_plan(text, name)
    return [str(problem) for problem in caught.value.problems]


def dense_block(levels: int) -> str:
    """Block nesting at its densest: a mapping's sequence at the mapping's own indent, its
    item's mapping one column in, so two levels per column (yaml-rs reads it)."""
    lines = []
    for level in range(levels // 2):
        lines += [" " * level + "k:", " " * level + "-"]
    return "vision:\n  values:\n" + "\n".join("   " + line for line in lines) + "\n"


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        # 25,000 deep in block style, one line: a segfault in yaml-rs before
        ("vision:\n  values:\n    " + "- " * 25_000 + "x\n", f"plan.yaml:5: {DEEP}"),
        # ... in flow style: yaml-rs refused it, then PyYAML's composer crashed finding the line
        ("vision: {values: " + "[" * 25_000 + "]" * 25_000 + "}\n", f"plan.yaml:3: {DEEP}"),
        # deeper than the bound but not than yaml-rs's own flow limit: found after the schema
        ("vision: {values: " + "[" * 100 + "]" * 100 + "}\n", f"plan.yaml:3: {DEEP}"),
        # block mappings, indented one column a level
        (
            "vision:\n" + "".join(" " * (i + 1) + "k:\n" for i in range(200)),
            f"plan.yaml:67: {DEEP}",
        ),
        # the densest block nesting, two levels a column
        (dense_block(300), f"plan.yaml:67: {DEEP}"),
    ],
)
def test_deep_yaml_is_refused_at_the_line_it_goes_too_deep(body: str, expected: str) -> None:
    assert problems(HEAD + body) == [expected]


@pytest.mark.parametrize("levels", [100, 1_000, 100_000])
def test_deep_json_is_refused_at_its_line(levels: int) -> None:
    text = '{"hoshin": 1,\n "organization": {"name": "A"},\n "vision": {"values":\n'
    text += "[" * levels + "]" * levels + "}}\n"
    assert problems(text, "plan.json") == [f"plan.json:4: {DEEP}"]


def test_the_densest_block_nesting_is_what_yaml_rs_reads() -> None:
    """The scan's premise: two levels a column is as dense as block nesting gets."""
    data: Any = yaml_rs.loads(dense_block(40))
    depth, node = 0, data["vision"]["values"]
    while isinstance(node, dict | list):
        depth, node = depth + 1, node["k"] if isinstance(node, dict) else node[0]
    assert depth == 40
    assert not _wide_indent(dense_block(2 * WIDE - 8))
    assert _wide_indent(dense_block(2 * WIDE + 2))


@given(st.integers(1, 3), st.integers(0, 60))
def test_a_block_nest_deeper_than_max_depth_is_always_wide(step: int, extra: int) -> None:
    """Each level at least half a column further right, however it is indented."""
    levels = MAX_DEPTH + 4 + extra
    text = "".join(" " * (i * step // 2) + ("- " if i % 2 else "k:") + "\n" for i in range(levels))
    assert _wide_indent(text)


def test_a_wide_but_shallow_plan_is_read_through_the_walk() -> None:
    text = HEAD + "vision:\n" + " " * 40 + "statement: Wide\n" + " " * 40 + "horizon: 2031\n"
    assert _wide_indent(text)
    assert parse_plan(text).vision.statement == "Wide"


def ten_kb_aliased(times: int) -> str:
    """One 10 KB string and ``times`` aliases of it: 210 KB repeating 500 MB at 50,000."""
    return (
        HEAD
        + f"vision:\n  statement: &s {'x' * 10_000}\n"
        + "  values: ["
        + ", ".join(["*s"] * times)
        + "]\n"
    )


def laughs(levels: int) -> str:
    """The billion laughs: each anchor ten aliases of the one before."""
    lines = [HEAD + "vision:", "  values: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for level in range(1, levels):
        lines.append(f"  k{level}: &a{level} [" + ", ".join([f"*a{level - 1}"] * 10) + "]")
    return "\n".join(lines) + "\n"


def chain(links: int, *, flow: bool) -> str:
    """Each anchor a sequence holding an alias of the one before: one level deeper each."""
    if flow:
        body = "".join(f"k{i}: &a{i} [*a{i - 1}]\n" for i in range(1, links))
        return HEAD + "k0: &a0 [x]\n" + body
    body = "".join(f"k{i}: &a{i}\n- *a{i - 1}\n" for i in range(1, links))
    return HEAD + "k0: &a0\n- x\n" + body


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (ten_kb_aliased(50_000), "plan.yaml:5: the aliases repeat more than"),
        (ten_kb_aliased(150), "plan.yaml:5: the aliases repeat more than 1,000,000 characters"),
        (laughs(9), "plan.yaml:9: the aliases repeat more than 1,000,000 characters"),
        # k63 (line 66) holds 63 levels of aliases in a sequence in the file's mapping
        (chain(25_000, flow=True), f"plan.yaml:66: {DEEP} through aliases"),
        (chain(25_000, flow=False), f"plan.yaml:130: {DEEP} through aliases"),
        (chain(70, flow=True), f"plan.yaml:66: {DEEP} through aliases"),
    ],
)
def test_aliases_that_repeat_too_much_are_refused(text: str, expected: str) -> None:
    found = problems(text)
    assert len(found) == 1 and found[0].startswith(expected), found


def test_a_fake_anchor_in_a_comment_does_not_shorten_the_real_one() -> None:
    """The scan measures from the first ``&s``; a later one in a comment changes nothing."""
    text = ten_kb_aliased(150).replace("  values:", "  # &s\n  values:")
    assert not _aliases_within(text, alias_budget(text))
    assert "the aliases repeat more than" in problems(text)[0]


def test_an_alias_inside_its_own_anchor_counts_the_whole_anchor() -> None:
    """yaml-rs reads an alias inside its own anchor as null, then later ones in full."""
    text = HEAD + "k: &s [*s, " + "x" * 10_000 + "]\nv: [" + ", ".join(["*s"] * 150) + "]\n"
    with pytest.raises(Exception, match="the aliases repeat more than"):
        check_yaml(text)


def test_aliases_a_person_would_write_are_read() -> None:
    """One anchor reused near and far: within the budget, by the scan or by the walk."""
    people = "".join(f"  - {{id: p{i}, name: Person {i}, unit: *u}}\n" for i in range(100))
    text = HEAD + "units:\n  - {id: &u ops, name: Operations}\npeople:\n" + people
    assert _aliases_within(text, alias_budget(text))
    assert {p.unit for p in parse_plan(text).people} == {"ops"}
    # 100 KB of comments between: the scan cannot vouch (100 aliases x 100 KB), the walk does
    far = text.replace("people:", "#" + "x" * 100_000 + "\npeople:")
    assert not _aliases_within(far, alias_budget(far))
    assert len(parse_plan(far).people) == 100


def test_stars_and_ampersands_in_text_are_no_aliases() -> None:
    text = HEAD + "vision: {statement: 'R&D **first**, 5 * 3 &x *x'}\n"
    assert parse_plan(text).vision.statement == "R&D **first**, 5 * 3 &x *x"


def test_the_walk_finds_the_line_through_an_alias_at_the_alias() -> None:
    text = HEAD + "x: &d {a: 1}\nvision:\n  statement: *d\n"
    assert walk(text, [("vision", "statement", "a"), ("nothing",)]) == [5, 1]
    assert problems(text)[0].startswith("plan.yaml:5: vision.statement: expected text")


def test_at_most_a_hundred_problems_then_a_count() -> None:
    text = HEAD + "vision:\n" + "".join(f"  k{i}: 1\n" for i in range(150))
    found = problems(text)
    assert len(found) == 101
    assert found[0] == "plan.yaml:4: vision.k0: unknown key 'k0'"
    assert found[-1] == "plan.yaml:103: ... and 50 more problem(s)"


def test_control_characters_from_the_file_are_escaped_in_messages() -> None:
    found = problems(HEAD + 'vision: {"k\\e[2J\\0": 1, level: ["\\e"]}\n')
    assert found == [
        "plan.yaml:3: vision.'k\\x1b[2J\\x00': unknown key 'k\\x1b[2J\\x00'",
        "plan.yaml:3: vision.level: unknown key 'level'",
    ]
