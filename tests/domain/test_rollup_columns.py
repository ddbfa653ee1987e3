"""The roll-up, supports order and alignment coverage as arrays give the loops' results,
to the bit."""

from __future__ import annotations

from domain_factories import make_metric, make_objective, make_plan
from hypothesis import given, settings
from hypothesis import strategies as st

from hoshin.domain.analysis import alignment_coverage, reaching, reaching_columns
from hoshin.domain.columns import support_links
from hoshin.domain.graph import topological_order
from hoshin.domain.model import Objective
from hoshin.domain.rollup import RollUp, each_objective, roll_up_columns, supports_order
from hoshin.domain.status import STATUSES, MetricResult
from hoshin.domain.status_columns import metric_columns

WEIGHTS = st.one_of(st.sampled_from([1, 2, 0.5, 1.0]), st.floats(0.01, 10.0))
UNIT = st.floats(0.0, 1.0)


@st.composite
def results(draw: st.DrawFn) -> MetricResult:
    """A metric's result, of any status, with progress None or a share."""
    status = draw(st.sampled_from(STATUSES))
    progress = draw(st.one_of(st.none(), UNIT))
    return MetricResult(None, None, None, progress, draw(UNIT), status)


@st.composite
def trees(draw: st.DrawFn) -> tuple[list[Objective], dict[str, MetricResult]]:
    """Objectives in any plan order, each supporting some that come earlier in a hidden
    order (so no cycle), sometimes an id outside the plan, with metrics of any result."""
    count = draw(st.integers(1, 25))
    place = draw(st.permutations(range(count)))  # objective i supports only lower places
    objectives, found = [], {}
    for i in range(count):
        above = [j for j in range(count) if place[j] < place[i]]
        chosen = draw(st.lists(st.sampled_from(above), max_size=3)) if above else []
        supports = {f"o{j}": draw(WEIGHTS) for j in chosen}
        if draw(st.booleans()) and not draw(st.integers(0, 4)):
            supports["elsewhere"] = 1.0
        metrics = []
        for k in range(draw(st.integers(0, 3))):
            key = f"m{i}-{k}"
            metrics.append(make_metric(id=key, weight=draw(WEIGHTS)))
            found[key] = draw(results())
        level = draw(st.sampled_from(["breakthrough", "annual", "team"]))
        tolerance = draw(st.sampled_from([0.0, 0.1, 0.25]))
        objectives.append(
            make_objective(
                id=f"o{i}", level=level, supports=supports, metrics=tuple(metrics),
                tolerance=tolerance,
            )
        )  # fmt: skip
    return objectives, found


@settings(max_examples=300)
@given(trees())
def test_the_roll_up_as_arrays_is_the_loops_to_the_bit(
    tree: tuple[list[Objective], dict[str, MetricResult]],
) -> None:
    objectives, metrics = tree
    links = support_links(objectives)
    assert links is not None
    order = supports_order(objectives)
    got = roll_up_columns(objectives, metrics, links, order)
    assert got is not None
    expected = each_objective(objectives, metrics, order)
    assert list(got) == list(expected)
    assert repr(got) == repr(expected)  # to the bit, and 0.0 told from -0.0
    measured = metric_columns([metrics[m.id] for o in objectives for m in o.metrics])
    handed = roll_up_columns(objectives, {}, links, order, measured=measured)
    assert repr(handed) == repr(expected)  # the metrics' columns read instead of the results


@settings(max_examples=300)
@given(trees())
def test_supports_order_and_reaching_as_arrays_are_the_loops(
    tree: tuple[list[Objective], dict[str, MetricResult]],
) -> None:
    objectives, _ = tree
    links = support_links(objectives)
    assert links is not None
    expected = topological_order({o.id: o.supports for o in objectives})
    assert supports_order(objectives, links) == expected
    reaches = reaching_columns(objectives, links)
    assert reaches is not None
    plan = make_plan(objectives=tuple(objectives))
    assert dict(zip(links.ids, reaches.tolist(), strict=True)) == reaching(plan)
    below = [reaching(plan)[o.id] for o in objectives if o.level != "breakthrough"]
    coverage = sum(below) / len(below) if below else 1.0
    assert alignment_coverage(plan, None, links) == coverage


def test_three_supporters_add_in_the_order_the_loop_visits_them() -> None:
    # p is supported by a (written first), b and c with weights 0.1, 0.2, 0.3; a and b are
    # done (progress 1), c not (0). The loop visits supporters in the reverse of
    # supports_order, c, b, a: total 0.3 + 0.2 + 0.1 = 0.6, done 0.2 + 0.1 =
    # 0.30000000000000004; in plan order the total would be 0.6000000000000001.
    metrics = {
        key: MetricResult(None, None, None, done, 1.0, "green")
        for key, done in (("ma", 1.0), ("mb", 1.0), ("mc", 0.0))
    }
    objectives = [make_objective(id="p", level="breakthrough")] + [
        make_objective(id=key, supports={"p": weight}, metrics=(make_metric(id=f"m{key}"),))
        for key, weight in (("a", 0.1), ("b", 0.2), ("c", 0.3))
    ]
    links = support_links(objectives)
    assert links is not None
    order = supports_order(objectives, links)
    assert order == ["p", "a", "b", "c"]
    got = roll_up_columns(objectives, metrics, links, order)
    assert got == each_objective(objectives, metrics, order)
    assert got is not None
    assert got["p"] == RollUp("breakthrough", 0.30000000000000004 / 0.6, 1.0, "red")
    assert 0.1 + 0.2 + 0.3 != 0.6


def test_repeated_ids_and_long_chains_go_the_loops_way() -> None:
    twice = [make_objective(id="o"), make_objective(id="o")]
    assert support_links(twice) is None
    chain = [make_objective(id="o0")] + [
        make_objective(id=f"o{i}", supports={f"o{i - 1}": 1.0}) for i in range(1, 80)
    ]
    links = support_links(chain)
    assert links is not None
    assert links.heights() is None
    assert roll_up_columns(chain, {}, links, supports_order(chain)) is None
