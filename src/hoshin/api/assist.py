"""The strategy assistant: where an objective belongs, overlaps, the SMART review, a draft
from a sentence, the metric catalogue and the situation's suggestions. Any member who may
read the plan may ask; each answer says which space ranked it: "model" (the shipped
model's, made in the background per plan version: runtime.assist_spaces) or "lexical"
(TF-IDF, while the model's is being made)."""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query
from pydantic import BaseModel, Field

from hoshin.api.deps import Analyses, AsOf, Db, Org, as_of_day
from hoshin.api.edits import READS, Body, Day, Filter, Limit, Offset
from hoshin.domain.assist.draft import draft_objective
from hoshin.domain.assist.overlaps import THRESHOLD
from hoshin.domain.assist.parents import Candidate, ParentSuggestion
from hoshin.domain.assist.review import Criterion, review_record
from hoshin.domain.assist.situation import suggest_addresses
from hoshin.domain.assist.space import Space
from hoshin.domain.assist.words import objective_text
from hoshin.domain.model import Level
from hoshin.domain.text import LONGEST
from hoshin.errors import NotFound
from hoshin.fields import ID_PATTERN, Id, Line, Title
from hoshin.runtime.assist_scans import plan_overlaps
from hoshin.runtime.assist_spaces import lexical_plan_space, plan_space
from hoshin.runtime.one_thread import OneThreadRoute
from hoshin.runtime.sessions import end_reading, read_first
from hoshin.service.analysis import Analysed
from hoshin.service.assist import catalogue, drafting, llm, review, suggest

router = APIRouter(
    prefix="/orgs/{org}/assist", tags=["assistant"], responses=READS, route_class=OneThreadRoute
)

SpaceName = Literal["model", "lexical"]
UNRANKED: dict[int | str, dict[str, Any]] = {
    422: {"description": "A field is invalid (detail names it)"}
}
Top = Annotated[int, Query(ge=1, le=20, description="How many suggestions, best first.")]
ObjectiveKey = Annotated[
    str,
    Path(description="The objective's id.", max_length=LONGEST["id"], pattern=ID_PATTERN),
]


class ParentRead(BaseModel):
    """An objective of the level above that the asking one plausibly supports."""

    objective: str
    title: str
    score: float = Field(description="0..1, higher is better")
    reasons: list[str]


class ParentsRead(BaseModel):
    """The likeliest parents, best first."""

    space: SpaceName
    objective: str | None = Field(description="The asking objective's id, if in the plan")
    suggestions: list[ParentRead]


class CandidateIn(Body):
    """An objective being written, not yet in the plan (or with its title being changed)."""

    title: Title
    level: Level
    unit: Id | None = None
    owner: Id | None = None
    metrics: list[Line] = Field(default=[], max_length=20, description="Its metrics' names")
    id: Id | None = Field(default=None, description="Its id, if it is one of the plan's")


@router.get("/parents/{objective}", response_model=ParentsRead, responses=UNRANKED)
def parents(
    org: Org, session: Db, cache: Analyses, objective: ObjectiveKey, top: Top = 3
) -> ParentsRead:
    """The objectives of the level above that this one most plausibly supports (its
    current supports ignored), with score and reasons; 422 for a breakthrough objective."""
    found = cache.get(session, org=org.org, as_of=as_of_day(None), fresh_row=True)
    known = found.objective(objective)
    if known is None:
        raise NotFound(f"no objective {objective} in the plan")
    asking = known[0]
    space = _space(found, org.org.id) or suggest.words_space(
        found.plan, asking.level, objective_text(asking)
    )
    return _parents_read(
        space, objective, suggest.parents(found.plan, objective, top=top, space=space)
    )


@router.post("/parents", response_model=ParentsRead, responses=UNRANKED)
def parents_of_candidate(
    org: Org, session: Db, cache: Analyses, body: CandidateIn, top: Top = 3
) -> ParentsRead:
    """The likeliest parents of an objective being written (the form's title as it is
    typed); 422 for a breakthrough objective (it has no level above)."""
    read_first(session)  # a question, not a change: no writer's turn on SQLite
    found = cache.get(session, org=org.org, as_of=as_of_day(None), fresh_row=True)
    candidate = Candidate(
        body.title, body.level, body.unit, body.owner, tuple(body.metrics), body.id
    )
    space = _space(found, org.org.id) or suggest.words_space(
        found.plan, body.level, candidate.text()
    )
    ranked = suggest.parents_for(found.plan, candidate, top=top, space=space)
    return _parents_read(space, body.id, ranked)


def _parents_read(
    space: Space, objective: str | None, ranked: list[ParentSuggestion]
) -> ParentsRead:
    return ParentsRead(
        space=_name(space),
        objective=objective,
        suggestions=[ParentRead.model_validate(s, from_attributes=True) for s in ranked],
    )


class OverlapRead(BaseModel):
    """Two objectives (or metrics) in different units or hands that say the same thing."""

    kind: Literal["objective", "metric"]
    first: str
    first_title: str
    second: str
    second_title: str
    similarity: float
    suggestion: str


class OverlapsRead(BaseModel):
    """The best overlaps, best first (at most 1,000), and how many pairs there are."""

    space: SpaceName
    ready: bool = Field(
        description="False while a large plan's scan is made in the background: ask again"
    )
    threshold: float = Field(description="The similarity above which two texts overlap")
    total: int = Field(description="Pairs above the threshold, of both kinds")
    overlaps: list[OverlapRead]


@router.get("/overlaps", response_model=OverlapsRead, responses=UNRANKED)
def overlaps(
    org: Org,
    session: Db,
    cache: Analyses,
    threshold: Annotated[
        float | None,
        Query(ge=0, le=1, description="Default: the space's own, tuned on the labelled plans"),
    ] = None,
    kind: Literal["objective", "metric"] | None = None,
    as_of: AsOf = None,
) -> OverlapsRead:
    """Pairs of objectives and of metrics, in different units or people, that say the same
    thing, with their similarity and a suggested merge or shared metric. A large plan's
    scan takes minutes: it is made in the background once per plan version (``ready``)."""
    found = cache.get(session, org=org.org, as_of=as_of_day(as_of), fresh_row=True)
    end_reading(session)  # the scan may be waited for: no snapshot held open meanwhile
    scan, space = plan_overlaps(found, org=org.org.id, threshold=threshold)
    if scan is None:
        floor = THRESHOLD if threshold is None else threshold
        return OverlapsRead(space="model", ready=False, threshold=floor, total=0, overlaps=[])
    return OverlapsRead(
        space="lexical" if space == "lexical" else "model",
        ready=True,
        threshold=scan.threshold,
        total=scan.total,
        overlaps=[
            OverlapRead.model_validate(o, from_attributes=True)
            for o in scan.overlaps
            if kind is None or o.kind == kind
        ],
    )


class FailingRead(BaseModel):
    """A SMART criterion an objective fails, why, and what would fix it."""

    criterion: Criterion
    code: str = Field(description="The engine's finding behind it, if one")
    problem: str
    suggestion: str


class SmartRead(BaseModel):
    """One objective's SMART review."""

    objective: str
    title: str
    passes: list[Criterion]
    failing: list[FailingRead]
    rewrite: str | None = Field(description="A chat model's title, when asked and configured")


class ReviewRead(BaseModel):
    """The SMART review of the plan's objectives (a page of them), in plan order."""

    space: SpaceName
    rewrites: bool = Field(description="Whether a chat model is configured (HOSHIN_LLM_URL)")
    total: int
    reviews: list[SmartRead]


@router.get("/review", response_model=ReviewRead, responses=UNRANKED)
def smart_review(
    org: Org,
    session: Db,
    cache: Analyses,
    objective: Filter = None,
    rewrite: Annotated[bool, Query(description="Ask the chat model for new titles")] = False,
    limit: Limit = 100,
    offset: Offset = 0,
    as_of: AsOf = None,
) -> ReviewRead:
    """Which of specific, measurable, achievable, relevant and time-bound each objective
    fails (only ``objective``'s, when given: 404 without it), with a concrete suggestion;
    with ``rewrite`` and a chat model configured, a rewritten title for the page's failing
    ones (a page costs its own objectives' review: at most 500)."""
    found = cache.get(session, org=org.org, as_of=as_of_day(as_of), fresh_row=True)
    space = _space(found, org.org.id) or lexical_plan_space(found, org=org.org.id, whole=False)
    reviews = review.review(
        found.plan, found.analysis, objective=objective, rewrite=rewrite, space=space,
        offset=offset, limit=limit,
    )  # fmt: skip
    return ReviewRead(
        space=_name(space),
        rewrites=llm.llm_configured(),
        total=1 if objective is not None else len(found.plan.objectives),
        reviews=[SmartRead(**review_record(r)) for r in reviews],
    )


class DraftIn(Body):
    """A sentence that says where a measure is and where it should be, by when."""

    sentence: Line = Field(description='e.g. "cut lead time from 9 to 4 weeks by Q4 2027"')
    level: Level | None = Field(default=None, description="Default: from the horizon")
    as_of: Day | None = Field(default=None, description="Today for the draft (default: today)")
    rewrite: bool = Field(default=False, description="Polish the title with the chat model")


class YearTarget(BaseModel):
    """The target at the end of a year."""

    year: int
    target: float


class DraftRead(BaseModel):
    """The draft: the plan file's objectives entry with its metric, each year's target."""

    objectives: list[dict[str, Any]] = Field(description="As a JSON plan file holds them")
    yearly_targets: list[YearTarget]
    this_year: float | None
    read_as: str = Field(description="How the sentence was read, in one line")
    yaml: str = Field(description="The same as a plan-file fragment to paste")


@router.post("/draft", response_model=DraftRead, responses=UNRANKED)
def draft(org: Org, body: DraftIn) -> DraftRead:
    """A draft objective with its metric (direction, baseline and its period, trajectory,
    target and period) from a sentence; 422 saying what the sentence lacks."""
    made = draft_objective(
        body.sentence,
        as_of=as_of_day(body.as_of),
        level=body.level,
        fiscal_year_start=org.org.fiscal_year_start,
    )
    if body.rewrite:
        made = drafting.polished(made)
    return DraftRead(
        **drafting.draft_data(made), yaml=drafting.draft_yaml(made, sentence=body.sentence)
    )


class KpiRead(BaseModel):
    """An indicator of the shipped catalogue and how well it answers the question."""

    id: str
    name: str
    unit: str
    direction: str
    frequency: str
    definition: str
    sector: str
    score: float


class MetricsRead(BaseModel):
    """The catalogue's indicators that best answer the question, best first."""

    space: SpaceName
    metrics: list[KpiRead]


Sector = Literal["manufacturing", "healthcare", "software", "services", "public", "support"]


@router.get("/metrics", response_model=MetricsRead, responses=UNRANKED)
def metrics(
    org: Org,
    q: Annotated[str, Query(description="What to measure, in words.", max_length=300)],
    top: Top = 5,
    sector: Sector | None = None,
) -> MetricsRead:
    """Indicators of the shipped catalogue (150+ across six sectors) that best measure what
    the question says, by meaning and words."""
    found = catalogue.search_metrics(q, top=top, sector=sector)
    return MetricsRead(
        space="model",
        metrics=[KpiRead(**asdict(kpi), score=score) for kpi, score in found],
    )


class AddressRead(BaseModel):
    """An objective that may address a situation item no objective addresses yet."""

    item: str
    kind: str = Field(description="weakness, threat or opportunity")
    text: str
    objective: str
    title: str
    score: float = Field(description="0..1, higher is better")
    terms: list[str] = Field(description="The terms the two share")


class AddressesRead(BaseModel):
    """For each unaddressed weakness, threat and opportunity, its likeliest objectives."""

    space: SpaceName
    suggestions: list[AddressRead]


@router.get("/addresses", response_model=AddressesRead, responses=UNRANKED)
def addresses(org: Org, session: Db, cache: Analyses, top: Top = 3) -> AddressesRead:
    """The objectives likeliest to address each weakness, threat and opportunity of the
    situation that none addresses yet (an objective's ``addresses``), best first."""
    found = cache.get(session, org=org.org, as_of=as_of_day(None), fresh_row=True)
    space = _space(found, org.org.id) or lexical_plan_space(found, org=org.org.id, whole=False)
    items = {item.id: item for item in found.plan.situation}
    return AddressesRead(
        space=_name(space),
        suggestions=[
            AddressRead(**asdict(s), kind=items[s.item].kind, text=items[s.item].text)
            for s in found.derived(  # once per analysis, space and top: 10 items x 52,530
                f"assist.addresses.{space.name}.{top}",  # objectives: 0.2-0.5 s at 50,000
                lambda _: suggest_addresses(found.plan, space, top=top),
            )
        ],
    )


def _space(found: Analysed, org: int, *, whole: bool = False) -> Space | None:
    """The plan's model space if it is ready (it is made in the background); ``whole``:
    with the metrics' texts too (overlaps), else the objectives' may be enough, sooner."""
    return plan_space(found, org=org, whole=whole)


def _name(space: Space) -> SpaceName:
    return "lexical" if space.name == "lexical" else "model"
