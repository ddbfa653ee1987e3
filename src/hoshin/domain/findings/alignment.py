"""Alignment findings: does every objective trace up to the vision, with an owner and a deadline?"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from itertools import compress, repeat
from operator import attrgetter, eq, not_

from hoshin.domain.findings.base import Context, Finding, finding

MAX_OBJECTIVES_PER_LEVEL = 5
_DIGIT = re.compile(r"\d")
# "support" and "drive" are vague as the verb that opens a title ("Support the sales
# team"), not as nouns ("Cut customer support response time").
_VAGUE = re.compile(
    r"\b(better|improve[sd]?|enhance[sd]?|optimi[sz]e[sd]?|world[- ]class|best[- ]in[- ]class|"
    r"excellen(?:t|ce)|maximi[sz]e|minimi[sz]e|strengthen|focus|leverag(?:e[sd]?|ing))\b"
    r"|^\s*(support|drive)\b",
    re.IGNORECASE,
)


def orphans(ctx: Context) -> Iterator[Finding]:
    """Non-breakthrough objectives that support nothing."""
    for objective in ctx.plan.objectives:
        if objective.level != "breakthrough" and not objective.supports:
            yield finding(
                "orphan",
                objective.id,
                f"{objective.level} objective {objective.id} '{objective.title}' supports no "
                "objective, so it does not trace up to the vision",
            )


def not_deployed(ctx: Context) -> Iterator[Finding]:
    """Breakthroughs no annual objective supports; annual objectives nothing deploys."""
    objectives = ctx.plan.objectives
    # only breakthrough and annual objectives can be undeployed: a few in any plan
    upper = list(compress(objectives, map(_UPPER.__contains__, map(_level, objectives))))
    by_annual = set().union(*(o.supports for o in upper if o.level == "annual"))
    supported: set[str] | None = None  # objectives something supports, when asked
    served: set[str] | None = None  # objectives an action serves, when asked
    for objective in upper:
        key = objective.id
        if objective.level == "breakthrough":
            if key in by_annual:
                continue
            message = "no annual objective supports it"
        else:
            if supported is None:
                supported = set().union(*map(_supports, objectives))
            if key in supported:
                continue
            if served is None:
                served = set().union(*map(_serves, ctx.plan.actions))
            if key in served:
                continue
            message = "no team objective supports it and no action serves it"
        yield finding(
            "not_deployed",
            key,
            f"{objective.level} objective {key} '{objective.title}' is not deployed: {message}",
        )


def unmeasured(ctx: Context) -> Iterator[Finding]:
    """Objectives with no metric and no measured supporter."""
    # each step over all objectives at once: faster than a loop through each in turn
    rollups = list(map(ctx.objectives.__getitem__, ctx.objective_ids()))
    statuses = list(map(_status, rollups))
    for objective in compress(ctx.plan.objectives, map(eq, statuses, repeat("unmeasured"))):
        yield finding(
            "unmeasured",
            objective.id,
            f"objective {objective.id} '{objective.title}' has no metric and no measured "
            "supporting objective",
        )


def no_owner(ctx: Context) -> Iterator[Finding]:
    """Objectives and actions without an owner."""
    for objective in ctx.plan.objectives:
        if objective.owner is None:
            yield finding("no_owner", objective.id, f"objective {objective.id} has no owner")
    for action in ctx.plan.actions:
        if action.owner is None:
            yield finding("no_owner", action.id, f"action {action.id} has no owner")


def no_deadline(ctx: Context) -> Iterator[Finding]:
    """Objectives without an end month."""
    for objective in ctx.plan.objectives:
        if objective.end is None:
            yield finding(
                "no_deadline",
                objective.id,
                f"objective {objective.id} has no end month, so nothing can be planned back "
                "from its deadline",
            )


def short_horizon(ctx: Context) -> Iterator[Finding]:
    """A vision that does not reach five calendar years from the plan's first year."""
    # the year of the earliest month: one Month.year instead of one per objective
    starts = [o.start for o in ctx.plan.objectives if o.start is not None]
    first_year = min(starts).year if starts else ctx.as_of.year
    needed = first_year + 4
    horizon = ctx.plan.vision.horizon
    if horizon is None:
        message = f"the vision has no horizon; a plan starting in {first_year} needs {needed}"
    elif horizon < needed:
        message = (
            f"the vision's horizon {horizon} covers fewer than five years from {first_year}: "
            f"set it to {needed} or later"
        )
    else:
        return
    yield finding("short_horizon", "vision", message)


def owner_overloaded(ctx: Context) -> Iterator[Finding]:
    """People who own more objectives at one level than anyone can focus on."""
    objectives = ctx.plan.objectives
    # nobody owns more at one level than in all: only those owning many are counted by level
    many = {
        owner
        for owner, count in Counter(map(_owner, objectives)).items()
        if count > MAX_OBJECTIVES_PER_LEVEL and owner is not None
    }
    if not many:
        return
    counts = Counter(
        (o.owner, o.level) for o in objectives if o.owner is not None and o.owner in many
    )
    for (owner, level), count in counts.items():
        if count > MAX_OBJECTIVES_PER_LEVEL:
            yield finding(
                "owner_overloaded",
                owner,
                f"{owner} owns {count} {level} objectives; more than "
                f"{MAX_OBJECTIVES_PER_LEVEL} at one level splits their focus",
            )


def vague_word(title: str) -> str | None:
    """The first vague word of a title that gives no number ('improve'), else None."""
    if _DIGIT.search(title):
        return None
    word = _VAGUE.search(title)
    return None if word is None else word.group(0).strip()


def vague_titles(ctx: Context) -> Iterator[Finding]:
    """Objective titles below breakthrough level that use vague words and give no number."""
    objectives = ctx.plan.objectives
    # a title with a number is never vague: one search in C sets most of them aside
    wordy = compress(objectives, map(not_, map(_DIGIT.search, map(_title, objectives))))
    for objective in wordy:
        if objective.level == "breakthrough":
            continue
        word = vague_word(objective.title)
        if word is not None:
            yield finding(
                "vague_title",
                objective.id,
                f"objective {objective.id} '{objective.title}' says '{word}' without a number: "
                "name what changes, by how much and by when",
            )


_UPPER = frozenset(("breakthrough", "annual"))
_level, _owner, _title = attrgetter("level"), attrgetter("owner"), attrgetter("title")
_status, _supports, _serves = attrgetter("status"), attrgetter("supports"), attrgetter("serves")
