"""Position findings: does the plan answer the organisation's current position and its risks?"""

from __future__ import annotations

from collections.abc import Iterator

from hoshin.domain.findings.base import Context, Finding, finding

# The items of the current position that a plan must answer: what holds it back or
# endangers it. A strength or an opportunity left unused is a choice, not a gap.
MUST_ANSWER = frozenset(("weakness", "threat"))


def unaddressed_positions(ctx: Context) -> Iterator[Finding]:
    """Weaknesses and threats that no objective addresses."""
    situation = ctx.plan.situation
    if not situation:
        return
    addressed = {key for objective in ctx.plan.objectives for key in objective.addresses}
    for item in situation:
        if item.kind in MUST_ANSWER and item.id not in addressed:
            yield finding(
                "unaddressed_position",
                item.id,
                f"{item.kind} {item.id} '{item.text}' is addressed by no objective: name it in "
                "the addresses of the objective that answers it, or add one",
            )


def uncovered_risks(ctx: Context) -> Iterator[Finding]:
    """High risks of open actions without a contingency."""
    for action in ctx.plan.actions:
        if action.done:
            continue  # a finished action's risks can no longer happen to it
        for risk in action.risks:
            if risk.level == "high" and not risk.contingency:
                yield finding(
                    "uncovered_risk",
                    action.id,
                    f"action {action.id} '{action.title}' has a high risk without a "
                    f"contingency: '{risk.risk}'",
                )
