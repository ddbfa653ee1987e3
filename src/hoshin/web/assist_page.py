"""What the assistant's page of a plan shows, worked out once per analysis: the space that
ranks (the plan's model space once ready, its words meanwhile), the overlaps, the SMART
review, the position's items no objective addresses, and a page at a time of each list (a
50,000-person plan has thousands of entries)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from hoshin.domain.assist.review import SmartReview
from hoshin.domain.assist.situation import AddressSuggestion, unaddressed
from hoshin.domain.assist.space import Space
from hoshin.domain.model import SituationItem
from hoshin.runtime.assist_spaces import lexical_plan_space, plan_space
from hoshin.service.analysis import Analysed
from hoshin.service.assist.addresses import suggest_addresses
from hoshin.service.assist.review import review

T = TypeVar("T")
PAGE = 20  # entries of a list shown at a time


def page_space(found: Analysed, org: int) -> Space:
    """The plan's model space when ready; else its lexical space, once per analysis (the
    model's is being made in the background: runtime.assist_spaces)."""
    ready = plan_space(found, org=org)
    if ready is not None:
        return ready
    return lexical_plan_space(found, org=org)


def reviews(found: Analysed, space: Space) -> list[SmartReview]:
    """The SMART review of each objective that fails a criterion, once per analysis and
    space (the suggested parents are ranked in ``space``)."""

    def failing(_: object) -> list[SmartReview]:
        found_reviews = review(found.plan, found.analysis, space=space)
        return [item for item in found_reviews if item.failing]

    return found.derived(f"assist.review.{space.name}", failing)


@dataclass(frozen=True, slots=True)
class Unanswered:
    """An item of the current position no objective addresses, and the objectives that
    may (best first; none above the assistant's floor: an empty tuple)."""

    item: SituationItem
    suggestions: tuple[AddressSuggestion, ...]


def unanswered(found: Analysed, space: Space) -> list[Unanswered]:
    """The plan's unaddressed weaknesses, threats and opportunities with the objectives
    that may address each, once per analysis and space."""

    def listed(_: object) -> list[Unanswered]:
        by_item: dict[str, list[AddressSuggestion]] = {}
        for suggestion in suggest_addresses(found.plan, space=space):
            by_item.setdefault(suggestion.item, []).append(suggestion)
        items = unaddressed(found.plan)
        return [Unanswered(i, tuple(by_item.get(i.id, ()))) for i in items]

    return found.derived(f"assist.addresses.{space.name}", listed)


@dataclass(frozen=True, slots=True)
class Paged(Generic[T]):
    """One page of a list: its rows, where they start, the total, and the links to the
    pages before and after (None at either end)."""

    rows: Sequence[T]
    first: int
    total: int
    previous: str | None
    next: str | None

    @property
    def last(self) -> int:
        """The number of the page's last row (0 for an empty list)."""
        return self.first + len(self.rows) - 1 if self.rows else 0


def paged(items: Sequence[T], number: int, link: Callable[[int], str]) -> Paged[T]:
    """Page ``number`` (from 1; a number past the end shows the last page) of ``items``."""
    pages = max((len(items) + PAGE - 1) // PAGE, 1)
    number = min(max(number, 1), pages)
    start = (number - 1) * PAGE
    rows = items[start : start + PAGE]
    return Paged(
        rows, start + 1 if rows else 0, len(items),
        link(number - 1) if number > 1 else None, link(number + 1) if number < pages else None,
    )  # fmt: skip


def space_words(space: Space) -> dict[str, Any]:
    """How the page says which space ranked its suggestions."""
    return {"space": space.name, "warming": space.name == "lexical"}
