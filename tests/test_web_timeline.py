"""The calculator's timeline picture (app/web/timeline.py): a well-formed SVG with a mark
per deadline, whose shape as well as colour says its status, and a text equivalent
that says every deadline's date and status in words."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET

from app.web.timeline import STATUS_WORDS, date_words, timeline_entries, timeline_svg

SVG = "{http://www.w3.org/2000/svg}"


def _deadline(rule_id, title, due, status, anchor_date, met=None, late=0):
    return {
        "rule_id": rule_id,
        "title": title,
        "due": due,
        "status": status,
        "working_days_overdue": late,
        "satisfied_by": {"type": "x_held", "date": met, "ref": None} if met else None,
        "explanation": {
            "anchor": {"type": "strategy_discussion_held", "date": anchor_date, "ref": None}
        },
    }


# One deadline of each status; the visits rule twice (two marks on one row).
ANSWER = {
    "as_of": "2022-10-10",
    "deadlines": [
        _deadline("r.met", "Met on time", "2022-09-12", "met", "2022-09-01", met="2022-09-09"),
        _deadline("r.late", "Met late", "2022-09-20", "met_late", "2022-09-01", "2022-09-22", 2),
        _deadline("r.icpc", "ICPC", "2022-09-27", "overdue", "2022-09-05", late=9),
        _deadline("r.visit", "Visit <b>&</b> 'see'", "2022-10-10", "due_today", "2022-09-26"),
        _deadline("r.visit", "Visit <b>&</b> 'see'", "2022-10-24", "upcoming", "2022-10-10"),
    ],
}


def _parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # raises on anything that is not well-formed XML


def test_the_picture_is_well_formed_svg_with_title_and_description():
    root = _parse(timeline_svg(ANSWER))
    assert root.tag == SVG + "svg"
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "timeline-title timeline-desc"
    assert root.find(SVG + "title").text == "Timeline of the deadlines"
    desc = root.find(SVG + "desc").text
    # 5 deadlines, first due 12 Sep, last 24 Oct, as of 10 Oct (counted from ANSWER above).
    assert desc.startswith(
        "5 deadlines due between Monday 12 September 2022 and Monday 24 October 2022"
    )
    assert "1 overdue" in desc and "As of Monday 10 October 2022." in desc


def test_a_mark_for_each_deadline_and_a_row_for_each_rule():
    root = _parse(timeline_svg(ANSWER))
    marks = [g for g in root.iter(SVG + "g") if g.get("class") == "timeline-deadline"]
    assert [(g.get("data-due"), g.get("data-status")) for g in marks] == [
        ("2022-09-12", "met"),
        ("2022-09-20", "met_late"),
        ("2022-09-27", "overdue"),
        ("2022-10-10", "due_today"),
        ("2022-10-24", "upcoming"),
    ]
    rows = [g for g in root.iter(SVG + "g") if g.get("class") == "timeline-row"]
    assert [g.get("data-rule") for g in rows] == ["r.met", "r.late", "r.icpc", "r.visit"]


def _shape(mark: ET.Element) -> tuple[str, ...]:
    """The elements that draw the status mark (after the line and the event dots)."""
    drawn = [c for c in mark if c.tag != SVG + "title" and c.tag != SVG + "text"]
    return tuple(c.tag.removeprefix(SVG) + ":" + (c.get("fill") or "") for c in drawn[2:])


def test_each_status_has_its_own_shape_not_only_its_colour():
    root = _parse(timeline_svg(ANSWER))
    marks = {
        g.get("data-status"): g
        for g in root.iter(SVG + "g")
        if g.get("class") == "timeline-deadline"
    }
    shapes = {status: _shape(mark) for status, mark in marks.items()}
    # met also draws the dot of the event that met it, then its circle and tick.
    assert shapes["met"] == ("circle:#0b0c0c", "circle:#0f7a52", "path:none")
    assert shapes["met_late"] == ("circle:#0b0c0c", "path:#f47738")
    assert shapes["overdue"] == ("path:#ca3535",)
    assert shapes["due_today"] == ("rect:#ffdd00",)
    assert shapes["upcoming"] == ("circle:#ffffff",)  # a ring: white inside, blue outline
    # The diamond and the triangle are different paths.
    late_path = marks["met_late"].findall(SVG + "path")[0].get("d")
    overdue_path = marks["overdue"].findall(SVG + "path")[0].get("d")
    assert late_path.count("L") == 3 and overdue_path.count("L") == 2


def test_as_of_is_a_dashed_line_and_the_legend_names_every_status():
    svg = timeline_svg(ANSWER)
    root = _parse(svg)
    as_of = next(g for g in root.iter(SVG + "g") if g.get("class") == "timeline-as-of")
    assert as_of.find(SVG + "line").get("stroke-dasharray")
    assert as_of.find(SVG + "text").text == "As of 10 Oct 2022"
    legend = next(g for g in root.iter(SVG + "g") if g.get("class") == "timeline-legend")
    words = [t.text for t in legend.iter(SVG + "text")]
    assert "overdue (triangle)" in words and "met late (diamond)" in words
    assert "upcoming (ring)" in words and "due today (square)" in words


def test_every_text_from_the_answer_is_escaped():
    svg = timeline_svg(ANSWER, title="Case <x> & 'y'")
    assert "<b>" not in svg and "<x>" not in svg
    root = _parse(svg)
    assert root.find(SVG + "title").text == "Case <x> & 'y'"
    labels = [t.text for t in root.iter(SVG + "text")]
    assert "Visit <b>&</b> 'see'" in labels


def test_the_text_equivalent_says_each_deadline_date_and_status():
    entries = timeline_entries(ANSWER)
    assert len(entries) == 5
    icpc = entries[2]
    assert icpc.due == dt.date(2022, 9, 27) and icpc.status_words == "overdue"
    assert icpc.sentence == (
        "ICPC: due Tuesday 27 September 2022 (2022-09-27), overdue by 9 working days; "
        "counted from strategy discussion held on 5 September 2022."
    )
    assert entries[0].sentence.startswith(
        "Met on time: due Monday 12 September 2022 (2022-09-12), met on time, "
        "met on Friday 9 September 2022;"
    )
    assert entries[1].status_words == "met late" and "met late by 2 working days" in (
        entries[1].sentence
    )
    assert [e.status_words for e in entries[3:]] == ["due today", "upcoming"]
    assert set(STATUS_WORDS) == {"met", "met_late", "overdue", "due_today", "upcoming"}


def test_an_answer_without_deadlines_draws_an_empty_axis_that_says_so():
    root = _parse(timeline_svg({"as_of": "2022-10-10", "deadlines": []}))
    assert root.find(SVG + "desc").text == "No deadlines to show."
    assert not [g for g in root.iter(SVG + "g") if g.get("class") == "timeline-deadline"]


def test_a_long_case_labels_at_most_a_dozen_months():
    answer = {
        "as_of": "2026-01-01",
        "deadlines": [
            _deadline("r.a", "A", "2020-01-15", "met", "2020-01-01", met="2020-01-10"),
            _deadline("r.b", "B", "2025-12-15", "overdue", "2025-11-01", late=12),
        ],
    }
    root = _parse(timeline_svg(answer))
    axis = next(g for g in root.iter(SVG + "g") if g.get("class") == "timeline-axis")
    labels = [t.text for t in axis.iter(SVG + "text")]
    assert 5 <= len(labels) <= 12
    assert date_words(dt.date(2020, 1, 15)) == "Wednesday 15 January 2020"
