"""Reading a goal sentence into its parts: the measured thing, where it stands (from ...),
where it should be (to ..., zero), a band to keep (above, at least, below), the change asked
for (halve, double, by 30 %, 20 % a year, half as many), and its dates (domain.assist.deadline).

Numbers are read as people write them: "1,000", "1.2k", "EUR 18M", "$4.5m", "96 %", "zero".
What is left when these are taken out is the measured thing: "warranty claims per 1,000
pumps". ``read`` only reads; domain.assist.draft decides what the parts make.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from hoshin.domain.assist.deadline import Dated, dates_in
from hoshin.domain.model import Direction

CURRENCIES = {
    "€": "EUR", "eur": "EUR", "euro": "EUR", "euros": "EUR",
    "$": "USD", "usd": "USD", "dollar": "USD", "dollars": "USD",
    "£": "GBP", "gbp": "GBP", "pound": "GBP", "pounds": "GBP",
    "¥": "JPY", "jpy": "JPY", "chf": "CHF", "cad": "CAD", "aud": "AUD", "sek": "SEK",
    "nok": "NOK", "dkk": "DKK", "inr": "INR", "cny": "CNY",
}  # fmt: skip
SCALES = {"k": 1e3, "thousand": 1e3, "m": 1e6, "mn": 1e6, "million": 1e6, "b": 1e9,
          "bn": 1e9, "billion": 1e9}  # fmt: skip
NUMBER_WORDS = {"zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
                "seven": 7, "eight": 8, "nine": 9, "ten": 10}  # fmt: skip
# A unit of measure written after a number, and how the metric names it.
UNITS = {
    **dict.fromkeys(("week", "weeks", "wk", "wks"), "weeks"),
    **dict.fromkeys(("day", "days"), "days"),
    **dict.fromkeys(("hour", "hours", "hr", "hrs", "h"), "hours"),
    **dict.fromkeys(("minute", "minutes", "min", "mins"), "minutes"),
    **dict.fromkeys(("second", "seconds", "sec", "secs"), "seconds"),
    **dict.fromkeys(("month", "months"), "months"),
    **dict.fromkeys(("year", "years"), "years"),
    **dict.fromkeys(("tonne", "tonnes", "ton", "tons", "t"), "tonnes"),
    **dict.fromkeys(("point", "points", "pts"), "points"),
    **{unit.lower(): unit for unit in ("ms", "kg", "km", "kWh", "MWh", "GWh", "ppm", "FTE")},
}


def _words(paragraph: str) -> list[str]:
    """The words of a paragraph: a list of words reads better written as one."""
    return paragraph.split()


# The verbs a goal starts with, by the way they move the measure; None: the numbers say.
SENSES: dict[str, Direction | None] = {
    **dict.fromkeys(
        _words(
            "cut reduce lower decrease shrink shorten drop slash trim minimise minimize lessen "
            "eliminate halve curb"
        ),
        "decrease",
    ),
    **dict.fromkeys(
        _words(
            "grow increase raise boost lift expand double triple quadruple extend widen "
            "maximise maximize"
        ),
        "increase",
    ),
    **dict.fromkeys(("keep", "maintain", "hold", "sustain", "stay", "remain"), "maintain"),
    **dict.fromkeys(
        _words(
            "reach achieve attain get bring hit deliver improve move make win gain sell add "
            "attract sign serve ship save have see"
        )
    ),
}
FACTORS = {"halve": 0.5, "double": 2.0, "triple": 3.0, "quadruple": 4.0}
_WAYS: dict[str, Direction] = {"more": "increase", "higher": "increase", "less": "decrease",
                               "fewer": "decrease", "lower": "decrease"}  # fmt: skip

_CODES = "|".join(key for key in CURRENCIES if key.isalpha() and len(key) == 3)
_PRE = rf"(?:(?:{_CODES})\s?|[€$£¥])"
_NUM = r"(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)"
_WORD = "|".join(NUMBER_WORDS)
_SCALE = r"(?:(?:k|m|mn|bn|b)(?!\w)|\s?(?:thousand|million|billion|mn|bn)(?!\w))"
_PCT = r"(?:\s?(?:%|percent(?!\w)|per\s?cent(?!\w)))"
_POST = rf"(?:\s?(?:{_CODES}|euros?|dollars?|pounds?)(?!\w))"
_UNIT = rf"(?:\s(?:{'|'.join(sorted(UNITS, key=len, reverse=True))})(?![\w%]))"
AMOUNT = (
    rf"(?<![\w.,$€£¥])(?:{_PRE}?{_NUM}{_SCALE}?(?:{_PCT}|{_POST})?{_UNIT}?"
    rf"|(?:{_WORD})(?!\w){_PCT}?{_UNIT}?)"
)
_PARTS = re.compile(
    rf"(?P<pre>{_PRE})?(?P<num>{_NUM}|{_WORD})(?P<scale>{_SCALE})?(?P<pct>{_PCT})?"
    rf"(?P<post>{_POST})?(?P<unit>{_UNIT})?",
    re.IGNORECASE,
)
_YEARLY = (
    r"(?:(?:each|every|a|per)\s+year|annually|yearly|year[-\s](?:on|over)[-\s]year"
    r"|p\.\s?a\.|/\s?(?:year|yr))"
)
_EVERY_YEAR = r"(?:(?:each|every)\s+year|annually|year[-\s](?:on|over)[-\s]year)"
_LEAD_IN = re.compile(
    r"^(?:(?:we|i)\s+(?:will|shall|must|should|want\s+to|need\s+to|aim\s+to|plan\s+to|"
    r"intend\s+to|are\s+going\s+to)\s+|(?:our\s+|the\s+)?(?:goal|aim|target|objective|"
    r"ambition)(?:\s+is)?(?:\s+to)?\s*[:-]?\s+|(?:aim|plan|strive)\s+to\s+|to\s+)",
    re.IGNORECASE,
)


def _pattern(text: str) -> re.Pattern[str]:
    return re.compile(text, re.IGNORECASE)


_PERCENT = rf"(?<![\w.,])(?:{_NUM}|{_WORD}){_PCT}"
_BETWEEN = _pattern(rf"(?<!\w)between\s+(?P<a>{AMOUNT})\s+and\s+(?P<b>{AMOUNT})")
_RATE = _pattern(
    rf"(?:(?<!\w)by\s+)?(?P<a>{_PERCENT})(?:\s+(?P<way>more|less|fewer|higher|lower))?"
    rf"\s+{_YEARLY}(?!\w)"
)
_CHANGE = _pattern(rf"(?P<a>{_PERCENT})\s+(?P<way>more|less|fewer|higher|lower)(?!\w)")
_FROM = _pattern(rf"(?<!\w)from\s+(?P<a>{AMOUNT})")
_TO = _pattern(rf"(?<!\w)(?:down\s+|up\s+)?to\s+(?P<a>{AMOUNT})")
# "to 2,000 patients" at the end: a word no unit list holds is the unit all the same
_TO_WORD = _pattern(
    rf"(?<!\w)(?:down\s+|up\s+)?to\s+(?P<a>{AMOUNT})\s+(?P<word>[^\W\d_]+)(?=[\s|]*$)"
)
_BY = _pattern(rf"(?<!\w)by\s+(?P<a>{AMOUNT})")
_FLOOR = _pattern(
    rf"(?:(?<!\w)(?:above|over|more\s+than|at\s+least|no\s+less\s+than|no\s+fewer\s+than|"
    rf"not\s+below|minimum\s+of|min\.?)\s*|[≥>]=?\s*)(?P<a>{AMOUNT})"
    rf"|(?P<b>{AMOUNT})\s+or\s+(?:more|higher|above|better)(?!\w)"
)
_CEILING = _pattern(
    rf"(?:(?<!\w)(?:below|under|less\s+than|fewer\s+than|at\s+most|no\s+more\s+than|"
    rf"not\s+above|maximum\s+of|max\.?)\s*|[≤<]=?\s*)(?P<a>{AMOUNT})"
    rf"|(?P<b>{AMOUNT})\s+or\s+(?:less|fewer|lower|below)(?!\w)"
)
_AS_MANY = _pattern(r"(?<!\w)(?P<f>half|twice|(?:\d+|three|four)\s+times)\s+as\s+(?:many|much)")
_BARE = _pattern(AMOUNT)
_EVERY = _pattern(rf"(?<!\w){_EVERY_YEAR}(?!\w)")
# little words that start or end no measure's name ("the", "of", "by")
_EDGE_WORDS = frozenset(
    _words("the our a an its their my all of on in for at to from by and or with")
)
_PER = _pattern(r"(?<!\w)a\s+(day|week|month|quarter|year)$")  # "5 a month": per month
GAP = "|"  # stands where a part was taken out, so that the words around it stay apart


@dataclass(frozen=True, slots=True)
class Amount:
    """A number as written, with its unit of measure ("%", "EUR", "weeks") if it has one."""

    value: float
    unit: str | None
    text: str

    @property
    def percent(self) -> bool:
        """Whether it was written as a percentage."""
        return self.unit == "%"


@dataclass(frozen=True, slots=True)
class Reading:
    """The parts of a goal sentence; None where the sentence does not say."""

    name: str  # the measured thing as written ("warranty claims per 1,000 pumps")
    verb: str | None  # the first word when it is a goal's verb, lower case
    sense: Direction | None  # which way the words move the measure
    start: Amount | None = None  # from ...
    end: Amount | None = None  # to ..., zero, a bare amount
    floor: Amount | None = None  # above, at least
    ceiling: Amount | None = None  # below, at most
    change: Amount | None = None  # by 30 %, 20 % more: how much it moves, unsigned
    factor: float | None = None  # halve 0.5, double 2
    yearly: bool = False  # the change or the factor is each year's
    deadline: Dated | None = None
    since: Dated | None = None  # the baseline's date ("from 24 in 2025")


def another_goal(name: str, *, as_of: date) -> bool:
    """Whether what is left as the measured thing still holds a goal's numbers or date
    ("X by Q4 2027 and Y from 5 to 2"): the sentence says more than one goal."""
    return bool(_FROM.search(name) or _TO.search(name) or dates_in(name, as_of=as_of))


def amount_of(text: str) -> Amount:
    """The value and unit of an amount's text ("EUR 18M" -> 18,000,000 EUR)."""
    parts = _PARTS.fullmatch(text.strip())
    if parts is None:  # AMOUNT matched it: the two patterns agree
        raise ValueError(f"'{text}' is not an amount")
    number = parts.group("num").lower()
    value = (
        float(NUMBER_WORDS[number]) if number in NUMBER_WORDS else float(number.replace(",", ""))
    )
    scale = (parts.group("scale") or "").strip().lower()
    value *= SCALES.get(scale, 1.0)
    currency = (parts.group("pre") or parts.group("post") or "").strip().lower()
    unit = (parts.group("unit") or "").strip()
    if parts.group("pct"):
        return Amount(value, "%", text)
    if currency:
        return Amount(value, CURRENCIES[currency], text)
    return Amount(value, UNITS[unit.lower()] if unit else None, text)


class _Rest:
    """The sentence as parts are taken out of it (each leaves a GAP)."""

    def __init__(self, text: str) -> None:
        self.text = text

    def take(self, pattern: re.Pattern[str]) -> re.Match[str] | None:
        """The first match of ``pattern``, taken out of the text."""
        found = pattern.search(self.text)
        if found is not None:
            self.text = f"{self.text[: found.start()]} {GAP} {self.text[found.end() :]}"
        return found

    def cut(self, start: int, end: int) -> None:
        """Takes out the characters from ``start`` to ``end``."""
        self.text = f"{self.text[:start]} {GAP} {self.text[end:]}"


def cleaned(sentence: str) -> str:
    """The sentence as a goal's title: one space between words, without "we want to" or
    "our goal is to" before it or a full stop after it, from a capital letter."""
    text = _LEAD_IN.sub("", " ".join(sentence.split()), count=1).rstrip(" .!;")
    return text[:1].upper() + text[1:]


def read(sentence: str, *, as_of: date, fiscal_year_start: int = 1) -> Reading:
    """The parts of ``sentence`` (a '|' is read as '/': it stands for a gap here)."""
    text = cleaned(sentence.replace(GAP, "/"))
    rest = _Rest(text)
    dates = dates_in(text, as_of=as_of, fiscal_year_start=fiscal_year_start)
    deadline, since = _dates(dates, text)
    for dated in sorted(filter(None, (deadline, since)), key=lambda d: -d.start):
        rest.cut(dated.start, dated.end)  # from the end: the earlier positions stay right
    verb, sense = _verb(rest)
    parts = _amounts(rest, verb, sense)
    return Reading(
        name=_name(rest.text),
        verb=verb,
        deadline=deadline,
        since=since,
        **parts,
    )


def _dates(dates: list[Dated], text: str) -> tuple[Dated | None, Dated | None]:
    """The deadline (the last date) and the baseline's date: an earlier one right after
    ``from AMOUNT`` ("from 24 in 2025 to 12 by 2027")."""
    if not dates:
        return None, None
    deadline = dates[-1]
    for dated in dates[:-1]:
        before = text[: dated.start]
        if dated.lead in {"in", "", "at"} and re.search(rf"from\s+{AMOUNT}\s*$", before, re.I):
            return deadline, dated
    return deadline, None


def _verb(rest: _Rest) -> tuple[str | None, Direction | None]:
    """The goal's verb at the start, taken out, and the way it moves the measure."""
    first = rest.text.split(" ", 1)[0].lower().strip(",:")
    if first not in SENSES:
        return None, None
    rest.text = GAP + rest.text[len(first) :]
    return first, SENSES[first]


def _amounts(rest: _Rest, verb: str | None, sense: Direction | None) -> dict[str, Any]:
    """The amounts of the sentence by their part (Reading's fields), taken out of ``rest``."""
    parts: dict[str, Any] = {"sense": sense, "factor": FACTORS.get(verb or "")}
    if verb == "eliminate":
        parts["end"] = Amount(0.0, None, "eliminate")
    if between := rest.take(_BETWEEN):
        # "between 99 and 95" is the band from 95 to 99
        ends = sorted((amount_of(between["a"]), amount_of(between["b"])), key=lambda a: a.value)
        parts["floor"], parts["ceiling"] = ends
    _changes(rest, parts)
    _levels(rest, parts)
    if not {"end", "change", "floor", "ceiling"} & parts.keys() and parts["factor"] is None:
        _bare(rest, parts)
    return parts


def _changes(rest: _Rest, parts: dict[str, Any]) -> None:
    """How much the measure should move: "half as many", "20 % a year", "20 % more"."""
    if as_many := rest.take(_AS_MANY):
        parts["factor"] = _as_many(as_many["f"].lower())
    if rate := rest.take(_RATE):
        parts["change"], parts["yearly"] = amount_of(rate["a"]), True
        parts["sense"] = _WAYS.get((rate["way"] or "").lower(), parts["sense"])
    elif change := rest.take(_CHANGE):
        parts["change"] = amount_of(change["a"])
        parts["sense"] = _WAYS[change["way"].lower()]
        parts["yearly"] = rest.take(_EVERY) is not None
    if parts["factor"] is not None:
        parts["yearly"] = rest.take(_EVERY) is not None
        parts["sense"] = "decrease" if parts["factor"] < 1 else "increase"


def _levels(rest: _Rest, parts: dict[str, Any]) -> None:
    """Where the measure stands and should be: from, to, by; else a band (above, below)."""
    if (to := rest.take(_TO_WORD)) is not None:
        target, word = amount_of(to["a"]), to["word"].lower()
        parts["end"] = target if target.unit else replace(target, unit=UNITS.get(word, word))
    for key, pattern in (("start", _FROM), ("end", _TO), ("change", _BY)):
        if key not in parts and (found := rest.take(pattern)):
            parts[key] = amount_of(found["a"])
    if {"start", "end"} & parts.keys():
        # in "patients waiting over 4 hours from 12 % to 5 %", "over 4 hours" is part of
        # what is measured, no band
        return
    for key, pattern in (("floor", _FLOOR), ("ceiling", _CEILING)):
        if key not in parts and (bound := rest.take(pattern)):
            parts[key] = amount_of(bound["a"] or bound["b"])


def _as_many(word: str) -> float:
    """The factor of "half as many", "twice as many", "3 times as many"."""
    if word == "half":
        return 0.5
    if word == "twice":
        return 2.0
    count = word.split()[0]
    return float(NUMBER_WORDS.get(count, 0) or count)


def _bare(rest: _Rest, parts: dict[str, Any]) -> None:
    """A number with no word before it saying what it is: a percentage or money anywhere,
    any number right after the verb ("zero lost-time injuries", "reach 95 % on-time
    delivery"). After a verb that moves the measure, a bare percentage is the change
    ("cut scrap 30 % by 2027"); else it is where the measure should be."""
    for found in _BARE.finditer(rest.text):
        amount = amount_of(found.group())
        leading = not rest.text[: found.start()].replace(GAP, "").strip()
        if amount.percent or (amount.unit is not None and amount.unit.isupper()) or leading:
            rest.cut(found.start(), found.end())
            moving = parts["sense"] in ("increase", "decrease")
            key = "change" if amount.percent and moving and "start" not in parts else "end"
            parts[key] = amount
            return


def _name(text: str) -> str:
    """The measured thing: what is left, without the little words at its edges."""
    chunks = [chunk.strip(" ,:;()-") for chunk in text.split(GAP)]
    words = " ".join(chunk for chunk in chunks if chunk).split()
    while words and words[0].lower() in _EDGE_WORDS:
        words.pop(0)
    while words and words[-1].lower() in _EDGE_WORDS:
        words.pop()
    name = _PER.sub(r"per \1", " ".join(words).strip(" ,:;-"))
    return name[:1].upper() + name[1:]
