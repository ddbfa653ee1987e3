"""What people are told: the kinds of notice, each person's choices of channel, and the
events an organisation's webhooks receive. Pure values; service.notify writes them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal, get_args

# The kinds of notice a person chooses channels for (the settings page lists them in this
# order, with these words).
Event = Literal[
    "actual_due", "escalation", "metric_red", "deadline", "catchball", "comment", "review",
    "digest",
]  # fmt: skip
EVENTS: tuple[Event, ...] = get_args(Event)
EVENT_LABELS: Mapping[Event, str] = {
    "actual_due": "An actual of mine is due",
    "escalation": "An actual is still missing (mine, or in a unit I lead)",
    "metric_red": "A metric turned red without a countermeasure",
    "deadline": "An action or countermeasure of mine is due in 7 days or overdue",
    "catchball": "Catchball: proposed, countered, accepted or withdrawn",
    "comment": "A comment mentions me or lands on my objective",
    "review": "My unit's monthly review is scheduled or its minutes recorded",
    "digest": "The weekly digest (Mondays)",
}
# Reminders computed by the scheduler: at most one per person and item a day (the quiet rule).
REMINDERS: frozenset[Event] = frozenset(("actual_due", "escalation", "metric_red", "deadline"))

Choice = Literal["both", "email", "in_app", "none"]
CHOICES: tuple[Choice, ...] = get_args(Choice)
CHOICE_LABELS: Mapping[Choice, str] = {
    "both": "E-mail and in-app",
    "email": "E-mail only",
    "in_app": "In-app only",
    "none": "Nothing",
}
DEFAULT_CHOICE: Choice = "both"

# What an organisation's webhooks may subscribe to (an empty list: all of them).
WEBHOOK_EVENTS: tuple[str, ...] = (
    "actual.recorded",
    "actual.missing",
    "metric.red",
    "deadline.due",
    "deadline.overdue",
    "catchball.proposed",
    "catchball.countered",
    "catchball.accepted",
    "catchball.withdrawn",
    "comment.created",
    "review.scheduled",
    "review.recorded",
)


@dataclass(frozen=True, slots=True)
class Notice:
    """One thing to tell one person about one item, for one period.

    ``variant`` tells apart notices of one event on one item and period (the escalation's
    level, the catchball step); with the rest it makes the idempotency key, so telling the
    same notice twice tells it once.
    """

    event: Event
    person: str
    item_kind: str  # metric, action, countermeasure, catchball, objective, review
    item: str
    period: str  # "YYYY-MM", "YYYY-MM-DD" or "" (the month, day or week it is about)
    title: str
    body: str = ""
    link: str = ""  # a path under the organisation's pages, e.g. "/orgs/acme/objectives/B1"
    variant: str = ""
    data: Mapping[str, Any] = field(default_factory=dict)

    @property
    def key(self) -> str:
        """The idempotency key: event and variant, person, item, period."""
        event = f"{self.event}:{self.variant}" if self.variant else self.event
        return f"{event}|{self.person}|{self.item_kind}:{self.item}|{self.period}"

    @property
    def reminder(self) -> bool:
        """Whether the quiet rule holds it back after another reminder of the day."""
        return self.event in REMINDERS


def channels_of(choice: str) -> tuple[bool, bool]:
    """(e-mail, in-app) for a choice; an unknown choice counts as the default."""
    chosen = choice if choice in CHOICES else DEFAULT_CHOICE
    return chosen in ("both", "email"), chosen in ("both", "in_app")
