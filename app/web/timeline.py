"""One case's deadlines as a picture: a server-rendered SVG timeline, and its text equivalent.

`timeline_svg(answer)` draws the answer of POST /v1/deadlines (the JSON the
calculator has built with `deadline_json`, as plain data) on a horizontal date
axis: a row per rule, the events each deadline was counted from (and the one
that met it) as small black marks, each due date as a mark whose colour AND
shape say its status (so that colour is never the only signal: WCAG 2.2, 1.4.1),
a grey line from what it was counted from to when it is due, and `as_of` as a
dashed line. The picture is `role="img"` with a <title> and a <desc>; what it
shows is also said in words by `timeline_entries` (the template lists them
beside it), every deadline's date and status, for screen readers and print.

Pure: the same answer draws the same text, and nothing is computed here but
where things go. Every text that comes from the answer is escaped.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from html import escape
from typing import Any

# GOV.UK Frontend 6's colours (its stylesheet's red, green, blue, focus yellow
# and greys; GOV.UK's orange). Every mark has a black outline, so that the light
# ones (yellow, orange) still stand 3:1 against the white page (WCAG 1.4.11).
BLACK = "#0b0c0c"
DARK_GREY = "#484949"
MID_GREY = "#cecece"
WHITE = "#ffffff"
STATUS_COLOURS = {
    "met": "#0f7a52",  # green
    "met_late": "#f47738",  # orange
    "overdue": "#ca3535",  # red
    "due_today": "#ffdd00",  # yellow
    "upcoming": "#1d70b8",  # blue
}
# What each status is called in words, on the page and in the picture's legend.
STATUS_WORDS = {
    "met": "met on time",
    "met_late": "met late",
    "overdue": "overdue",
    "due_today": "due today",
    "upcoming": "upcoming",
}
# The shape of each status's mark, for those who cannot tell the colours apart.
STATUS_SHAPES = {
    "met": "circle with a tick",
    "met_late": "diamond",
    "overdue": "triangle",
    "due_today": "square",
    "upcoming": "ring",
}

WIDTH = 960
LABEL_WIDTH = 270  # the rows' titles, left of the plot
PLOT_LEFT = LABEL_WIDTH + 20
PLOT_RIGHT = WIDTH - 30
TOP = 56  # room for the as_of label and the axis's month labels
ROW_HEIGHT = 34
LEGEND_HEIGHT = 64
MARK = 8  # half a status mark's size
MIN_LABEL_GAP = 52  # pixels between two due-date labels on one row
MAX_TITLE = 38  # characters of a row's title drawn; the whole title is in the mark's <title>
MAX_TICKS = 12


def date_words(day: dt.date) -> str:
    """ "Tuesday 27 September 2022": how GOV.UK writes a date."""
    return f"{day:%A} {day.day} {day:%B %Y}"


def short_date(day: dt.date) -> str:
    return f"{day.day} {day:%b}"


@dataclass(frozen=True)
class TimelineEntry:
    """One deadline, in the words of the text equivalent."""

    rule_id: str
    title: str
    due: dt.date
    status: str
    anchor_type: str
    anchor_date: dt.date
    met_on: dt.date | None
    working_days_overdue: int

    @property
    def status_words(self) -> str:
        return STATUS_WORDS.get(self.status, self.status.replace("_", " "))

    @property
    def due_words(self) -> str:
        return date_words(self.due)

    @property
    def sentence(self) -> str:
        """ "Initial child protection conference: due Tuesday 27 September 2022
        (2022-09-27), overdue by 9 working days; counted from
        strategy_discussion_held on 5 September 2022.\""""
        status = self.status_words
        late = self.working_days_overdue
        if self.status in ("overdue", "met_late") and late:
            status += f" by {late} working day{'s' if late != 1 else ''}"
        if self.met_on is not None:
            status += f", met on {date_words(self.met_on)}"
        anchor = f"{self.anchor_date.day} {self.anchor_date:%B %Y}"
        return (
            f"{self.title}: due {self.due_words} ({self.due.isoformat()}), {status}; "
            f"counted from {self.anchor_type.replace('_', ' ')} on {anchor}."
        )


def timeline_entries(answer: Mapping[str, Any]) -> list[TimelineEntry]:
    """Every deadline of the answer, in the answer's order (oldest due first)."""
    entries = []
    for d in answer.get("deadlines", []):
        anchor = d["explanation"]["anchor"]
        met = d.get("satisfied_by")
        entries.append(
            TimelineEntry(
                rule_id=str(d["rule_id"]),
                title=str(d["title"]),
                due=dt.date.fromisoformat(d["due"]),
                status=str(d["status"]),
                anchor_type=str(anchor["type"]),
                anchor_date=dt.date.fromisoformat(anchor["date"]),
                met_on=dt.date.fromisoformat(met["date"]) if met else None,
                working_days_overdue=int(d.get("working_days_overdue") or 0),
            )
        )
    return entries


# -- drawing -----------------------------------------------------------------------------------


def _e(text: object) -> str:
    return escape(str(text), quote=True)


class _Scale:
    """Days to x: the range of every date drawn, padded a little each side."""

    def __init__(self, days: Sequence[dt.date]) -> None:
        first, last = min(days), max(days)
        span = (last - first).days
        pad = max(3, span // 25)
        self.first = first - dt.timedelta(days=pad)
        self.last = last + dt.timedelta(days=pad)
        self.days = (self.last - self.first).days

    def x(self, day: dt.date) -> float:
        share = (day - self.first).days / self.days
        return round(PLOT_LEFT + share * (PLOT_RIGHT - PLOT_LEFT), 1)


def _ticks(scale: _Scale) -> list[tuple[dt.date, str]]:
    """The axis's ticks: Mondays for a range of a few weeks, else the first of
    every month (or of every few months, so that at most MAX_TICKS are labelled)."""
    if scale.days <= 63:
        monday = scale.first + dt.timedelta(days=(7 - scale.first.weekday()) % 7)
        weeks = range(0, scale.days + 1, 7)
        return [
            (day, short_date(day))
            for day in (monday + dt.timedelta(days=n) for n in weeks)
            if day <= scale.last
        ]
    months = (scale.last.year - scale.first.year) * 12 + scale.last.month - scale.first.month
    step = max(1, -(-months // MAX_TICKS))  # ceiling: months / MAX_TICKS
    ticks = []
    for n in range(1, months + 1, step):  # bounded: the months of the range
        index = scale.first.month - 1 + n
        day = dt.date(scale.first.year + index // 12, index % 12 + 1, 1)
        ticks.append((day, f"{day:%b %Y}"))
    return ticks


def _status_mark(status: str, x: float, y: float) -> str:
    """The due date's mark: a shape per status, filled with its colour, outlined in black."""
    colour = STATUS_COLOURS.get(status, DARK_GREY)
    m = MARK
    if status == "met":
        return (
            f'<circle cx="{x}" cy="{y}" r="{m}" fill="{colour}" stroke="{BLACK}" '
            f'stroke-width="1.5"/>'
            f'<path d="M {x - 4} {y} l 3 3 l 5 -6" fill="none" stroke="{WHITE}" '
            f'stroke-width="2.5"/>'
        )
    if status == "met_late":
        return (
            f'<path d="M {x} {y - m - 1} L {x + m + 1} {y} L {x} {y + m + 1} L {x - m - 1} {y} Z" '
            f'fill="{colour}" stroke="{BLACK}" stroke-width="1.5"/>'
        )
    if status == "overdue":
        return (
            f'<path d="M {x} {y - m - 1} L {x + m + 1} {y + m} L {x - m - 1} {y + m} Z" '
            f'fill="{colour}" stroke="{BLACK}" stroke-width="1.5"/>'
        )
    if status == "due_today":
        return (
            f'<rect x="{x - m}" y="{y - m}" width="{2 * m}" height="{2 * m}" fill="{colour}" '
            f'stroke="{BLACK}" stroke-width="1.5"/>'
        )
    # upcoming (and anything else): a ring, white inside.
    return (
        f'<circle cx="{x}" cy="{y}" r="{m - 1}" fill="{WHITE}" stroke="{colour}" stroke-width="3"/>'
    )


def _event_mark(x: float, y: float) -> str:
    return f'<circle cx="{x}" cy="{y}" r="4" fill="{BLACK}"/>'


def _rows(entries: Sequence[TimelineEntry]) -> list[tuple[str, str, list[TimelineEntry]]]:
    """A row per rule, in the order the rules first fall due: (rule, title, its deadlines)."""
    rows: dict[str, tuple[str, list[TimelineEntry]]] = {}
    for entry in entries:
        rows.setdefault(entry.rule_id, (entry.title, []))[1].append(entry)
    return [(rule, title, found) for rule, (title, found) in rows.items()]


def _clip(text: str) -> str:
    return text if len(text) <= MAX_TITLE else text[: MAX_TITLE - 1].rstrip() + "…"


def _description(entries: Sequence[TimelineEntry], as_of: dt.date | None) -> str:
    if not entries:
        return "No deadlines to show."
    counts: dict[str, int] = {}
    for entry in entries:
        counts[entry.status_words] = counts.get(entry.status_words, 0) + 1
    first, last = min(e.due for e in entries), max(e.due for e in entries)
    parts = ", ".join(f"{n} {words}" for words, n in counts.items())
    when = f" As of {date_words(as_of)}." if as_of else ""
    return (
        f"{len(entries)} deadline{'s' if len(entries) != 1 else ''} due between "
        f"{date_words(first)} and {date_words(last)}: {parts}.{when} "
        "Each deadline is listed in words after the picture."
    )


def _legend(y: float) -> str:
    items = [
        *((status, f"{STATUS_WORDS[status]} ({STATUS_SHAPES[status]})") for status in STATUS_WORDS),
        ("event", "event counted from, or that met it"),
        ("as_of", "as of"),
    ]
    out = [f'<g class="timeline-legend" font-size="13" fill="{BLACK}">']
    per_row = 4
    for i, (key, words) in enumerate(items):
        x = 20 + (i % per_row) * 235
        row_y = y + 18 + (i // per_row) * 26
        if key == "event":
            out.append(_event_mark(x + 8, row_y))
        elif key == "as_of":
            out.append(
                f'<line x1="{x + 8}" y1="{row_y - 9}" x2="{x + 8}" y2="{row_y + 9}" '
                f'stroke="{BLACK}" stroke-width="2" stroke-dasharray="4 3"/>'
            )
        else:
            out.append(_status_mark(key, x + 8, row_y))
        out.append(f'<text x="{x + 22}" y="{row_y + 4}">{_e(words)}</text>')
    out.append("</g>")
    return "".join(out)


def timeline_svg(answer: Mapping[str, Any], title: str = "Timeline of the deadlines") -> str:
    """The answer's deadlines as an SVG document fragment (an inline <svg> element)."""
    entries = timeline_entries(answer)
    as_of = dt.date.fromisoformat(answer["as_of"]) if answer.get("as_of") else None
    rows = _rows(entries)
    height = TOP + max(1, len(rows)) * ROW_HEIGHT + 16 + LEGEND_HEIGHT
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="app-timeline" role="img" '
        f'viewBox="0 0 {WIDTH} {height}" width="100%" '
        f'aria-labelledby="timeline-title timeline-desc">',
        f'<title id="timeline-title">{_e(title)}</title>',
        f'<desc id="timeline-desc">{_e(_description(entries, as_of))}</desc>',
        f'<rect x="0" y="0" width="{WIDTH}" height="{height}" fill="{WHITE}"/>',
    ]
    if not entries:
        out.append(
            f'<text x="{WIDTH // 2}" y="{TOP}" text-anchor="middle" font-size="16" '
            f'fill="{BLACK}">No deadlines to show.</text>'
        )
        out.append(_legend(height - LEGEND_HEIGHT))
        out.append("</svg>")
        return "".join(out)

    days: list[dt.date] = []
    for entry in entries:
        days.extend((entry.due, entry.anchor_date))
        if entry.met_on is not None:
            days.append(entry.met_on)
    if as_of is not None:
        days.append(as_of)
    scale = _Scale(days)
    bottom = TOP + len(rows) * ROW_HEIGHT

    # The axis: a line under the month (or week) labels, and a faint rule down each tick.
    out.append(f'<g class="timeline-axis" font-size="13" fill="{DARK_GREY}">')
    out.append(
        f'<line x1="{PLOT_LEFT}" y1="{TOP - 8}" x2="{PLOT_RIGHT}" y2="{TOP - 8}" '
        f'stroke="{DARK_GREY}" stroke-width="1"/>'
    )
    for day, label in _ticks(scale):
        x = scale.x(day)
        out.append(
            f'<line x1="{x}" y1="{TOP - 12}" x2="{x}" y2="{bottom}" stroke="{MID_GREY}" '
            f'stroke-width="1"/>'
            f'<text x="{x}" y="{TOP - 16}" text-anchor="middle">{_e(label)}</text>'
        )
    out.append("</g>")

    for r, (rule_id, row_title, found) in enumerate(rows):
        y = TOP + r * ROW_HEIGHT + ROW_HEIGHT / 2
        out.append(f'<g class="timeline-row" data-rule="{_e(rule_id)}">')
        out.append(
            f'<text x="{LABEL_WIDTH}" y="{y + 4}" text-anchor="end" font-size="14" '
            f'fill="{BLACK}">{_e(_clip(row_title))}</text>'
        )
        last_label = -1e9
        for entry in found:
            x_due, x_from = scale.x(entry.due), scale.x(entry.anchor_date)
            out.append(
                f'<g class="timeline-deadline" data-status="{_e(entry.status)}" '
                f'data-due="{entry.due.isoformat()}">'
                f"<title>{_e(entry.sentence)}</title>"
                f'<line x1="{x_from}" y1="{y}" x2="{x_due}" y2="{y}" stroke="{MID_GREY}" '
                f'stroke-width="2"/>'
                f"{_event_mark(x_from, y)}"
            )
            if entry.met_on is not None:
                out.append(_event_mark(scale.x(entry.met_on), y))
            out.append(_status_mark(entry.status, x_due, y))
            if x_due - last_label >= MIN_LABEL_GAP:
                out.append(
                    f'<text x="{x_due}" y="{y - MARK - 4}" text-anchor="middle" font-size="11" '
                    f'fill="{BLACK}">{_e(short_date(entry.due))}</text>'
                )
                last_label = x_due
            out.append("</g>")
        out.append("</g>")

    if as_of is not None:
        x = scale.x(as_of)
        out.append(
            f'<g class="timeline-as-of"><line x1="{x}" y1="{TOP - 30}" x2="{x}" y2="{bottom}" '
            f'stroke="{BLACK}" stroke-width="2" stroke-dasharray="4 3"/>'
            f'<text x="{x}" y="{TOP - 36}" text-anchor="middle" font-size="13" '
            f'fill="{BLACK}">{_e("As of " + short_date(as_of) + f" {as_of.year}")}</text></g>'
        )
    out.append(_legend(bottom + 16))
    out.append("</svg>")
    return "".join(out)
