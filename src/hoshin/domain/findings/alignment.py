"""Alignment findings: does every objective trace up to the vision, with an owner and a deadline?"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator

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
    supported: set[str] = set()  # objectives something supports
    by_annual: set[str] = set()  # objectives an annual objective supports
    for objective in ctx.plan.objectives:
        supported.update(objective.supports)
        if objective.level == "annual":
            by_annual.update(objective.supports)
    served = {key for action in ctx.plan.actions for key in action.serves}
    for objective in ctx.plan.objectives:
        key = objective.id
        if objective.level == "breakthrough" and key not in by_annual:
            message = "no annual objective supports it"
        elif objective.level == "annual" and key not in supported and key not in served:
            message = "no team objective supports it and no action serves it"
        else:
            continue
        yield finding(
            "not_deployed",
            key,
            f"{objective.level} objective {key} '{objective.title}' is not deployed: {message}",
        )


def unmeasured(ctx: Context) -> Iterator[Finding]:
    """Objectives with no metric and no measured supporter."""
    for objective in ctx.plan.objectives:
        if ctx.objectives[objective.id].status == "unmeasured":
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
    counts = Counter((o.owner, o.level) for o in ctx.plan.objectives if o.owner is not None)
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
    for objective in ctx.plan.objectives:
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
