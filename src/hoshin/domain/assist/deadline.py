"""The dates a goal sentence names, as months: "by Dec 2029", "until Q4 2027", "by FY2028",
"by the end of 2027", "by H1 2027", "within 3 years", "by June 2028", "2027-12".

A date ends its month (a deadline is the last day of a month in hoshin); a year alone, a
fiscal year, a quarter or a half ends with its last month. Fiscal years are named by the
calendar year they start in, as the annual review names them (domain.annual).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date

from hoshin.domain.annual import fiscal_year, fiscal_year_of
from hoshin.domain.months import FIRST_YEAR, LAST_YEAR, Month

MONTH_NAMES = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
COUNTS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eighteen": 18, "twelve": 12, "a": 1, "an": 1,
}  # fmt: skip

_MONTH = "|".join(sorted(MONTH_NAMES, key=len, reverse=True))
_YEAR = r"(?:19|2\d)\d{2}"
_DAY = r"(?:[0-3]?\d)(?:st|nd|rd|th)?"
# Each form of a date, in the order they are tried at one place (longer first).
_FORMS = "|".join(
    [
        rf"(?:FY|fiscal\s+(?:year\s+)?)\s?'?(?P<fy>{_YEAR}|\d{{2}})",
        rf"Q(?P<q>[1-4])\s?(?:of\s+)?'?(?P<qy>{_YEAR})|(?P<qy2>{_YEAR})\s?[-/]?\s?Q(?P<q2>[1-4])",
        rf"H(?P<h>[12])\s?(?:of\s+)?(?P<hy>{_YEAR})|(?P<hy2>{_YEAR})\s?[-/]?\s?H(?P<h2>[12])",
        rf"(?P<half>first|second)\s+half\s+of\s+(?P<halfy>{_YEAR})",
        rf"(?:{_DAY}\s+)?(?P<mon>{_MONTH})\.?\s+(?:{_DAY},?\s+)?(?P<my>{_YEAR})",
        rf"(?P<iy>{_YEAR})-(?P<im>[01]\d)(?:-[0-3]\d)?",
        rf"(?P<sm>[01]?\d)/(?P<sy>{_YEAR})",
        rf"mid[-\s]?(?P<mid>{_YEAR})",
        rf"(?:(?:the\s+)?end\s+of\s+(?:the\s+)?(?:year\s+)?|year[-\s]end\s+)(?P<ey>{_YEAR})",
        r"(?P<yearend>this\s+(?:fiscal\s+)?year(?:'s\s+end)?|(?:the\s+)?(?:fiscal\s+)?year[-\s]end"
        r"|(?:the\s+)?end\s+of\s+(?:the\s+|this\s+)?(?:fiscal\s+)?year)",
        r"(?P<theyear>the\s+(?:fiscal\s+)?year)",
        r"(?P<next>(?:the\s+)?(?:end\s+of\s+)?next\s+(?:fiscal\s+)?year)",
        rf"(?P<year>{_YEAR})",
    ]
)
_LEAD = r"(?:by|until|till|til|through|thru|before|in|no\s+later\s+than|at\s+the\s+latest\s+by)"
_DATE = re.compile(
    rf"(?<![\w/-])(?P<lead>{_LEAD}\s+(?:the\s+)?(?:end\s+of\s+)?)?(?:{_FORMS})(?![\w%/-])",
    re.IGNORECASE,
)
_SPAN = re.compile(
    rf"(?<!\w)(?:within|in|over)\s+(?:the\s+)?(?:next\s+)?"
    rf"(?P<n>\d{{1,2}}|{'|'.join(COUNTS)})\s+(?P<what>years?|months?)(?!\w)",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Dated:
    """A date found in a sentence: its month, where it stands, and how it was written."""

    month: Month
    start: int
    end: int
    text: str
    lead: str  # the word before it, lower case ("by", "until", "in"), or ""


def dates_in(text: str, *, as_of: date, fiscal_year_start: int = 1) -> list[Dated]:
    """Every date ``text`` names, in order: a bare year only after by, until, in... (a
    number like 2000 is rather an amount), and spans ("within 3 years") from ``as_of``."""
    found = []
    for match in _DATE.finditer(text):
        if (match.group("year") or match.group("theyear")) and not match.group("lead"):
            continue
        month = _month(match, as_of, fiscal_year_start)
        if month is not None:
            lead = (match.group("lead") or "").split()
            dated = Dated(month, match.start(), match.end(), match.group().strip(), "")
            found.append(replace(dated, lead=lead[0].lower()) if lead else dated)
    for match in _SPAN.finditer(text):
        count = match.group("n").lower()
        number = int(count) if count.isdigit() else COUNTS[count]
        months = number * 12 if match.group("what").lower().startswith("year") else number
        month = Month.of_date(as_of) + months
        lead = match.group().split()[0].lower()
        found.append(Dated(month, match.start(), match.end(), match.group(), lead))
    return sorted(found, key=lambda dated: dated.start)


def _month(match: re.Match[str], as_of: date, fiscal_start: int) -> Month | None:
    """The last month of the date ``match`` names, or None outside the calendar."""
    group = match.groupdict()
    before = (group["lead"] or "").lower().startswith("before")
    month: Month | None = None
    if group["fy"]:
        year = int(group["fy"])
        month = fiscal_year(year if year > 99 else 2000 + year, fiscal_start).last
    elif group["q"] or group["q2"]:
        quarter, year = int(group["q"] or group["q2"]), int(group["qy"] or group["qy2"])
        month = Month.of(year, quarter * 3)
    elif group["h"] or group["h2"]:
        half, year = int(group["h"] or group["h2"]), int(group["hy"] or group["hy2"])
        month = Month.of(year, half * 6)
    elif group["half"]:
        month = Month.of(int(group["halfy"]), 6 if group["half"].lower() == "first" else 12)
    elif group["mon"]:
        month = Month.of(int(group["my"]), MONTH_NAMES[group["mon"].lower()])
    elif group["iy"]:
        month = _checked(int(group["iy"]), int(group["im"]))
    elif group["sm"]:
        month = _checked(int(group["sy"]), int(group["sm"]))
    elif group["mid"]:
        month = Month.of(int(group["mid"]), 6)
    elif group["ey"]:
        month = Month.of(int(group["ey"]), 12)
    elif group["yearend"] or group["theyear"]:
        month = fiscal_year_of(as_of, fiscal_start).last
    elif group["next"]:
        month = fiscal_year_of(as_of, fiscal_start).last + 12
    elif group["year"]:
        # "before 2028" is by the end of 2027; "by 2028", "in 2028" by the end of 2028
        return Month.of(int(group["year"]) - 1 if before else int(group["year"]), 12)
    if month is None or not FIRST_YEAR <= month.year <= LAST_YEAR:
        return None
    return month


def _checked(year: int, number: int) -> Month | None:
    return Month.of(year, number) if 1 <= number <= 12 else None
