"""The deadline calculator page (/calculator, app/web/calculator.py), through the app.

The child protection case across the state funeral, counted by hand on the England
and Wales calendar: strategy discussion Monday 5 September 2022; the initial
conference is due within 15 working days: 6-9 Sep (4), 12-16 (9), Mon 19 Sep is the
Bank Holiday for the State Funeral of Queen Elizabeth II (skipped), 20-23 (13),
26 (14), Tue 27 Sep (15). As of Mon 10 Oct 2022 it is overdue by 28, 29, 30 Sep
(3), 3-7 Oct (8), 10 Oct (9) = 9 working days.
"""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import httpx
from fastapi.testclient import TestClient

from app.main import app
from tests.serving import free_port, wait_until_up
from tests.test_sources_annex_a import d, list7_workbook

ROOT = Path(__file__).resolve().parents[1]
client = TestClient(app)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

CP_FORM = {
    "source": "form",
    "authority": "england",
    "as_of": "2022-10-10",
    "event_rows": "5",
    "event-0-type": "strategy_discussion_held",
    "event-0-date": "2022-09-05",
    "action": "calculate",
}
CP_REQUEST = {
    "authority": "england",
    "as_of": "2022-10-10",
    "events": [{"type": "strategy_discussion_held", "date": "2022-09-05"}],
}
ICPC_SENTENCE = (
    "Initial child protection conference: due Tuesday 27 September 2022 (2022-09-27), "
    "overdue by 9 working days; counted from strategy discussion held on 5 September 2022."
)
FUNERAL = (
    "Monday 19 September 2022</time>: Bank Holiday for the State Funeral of Queen Elizabeth II"
)


def _between(html: str, start: str, end: str) -> str:
    """The text from the first `start` to the next `end` after it."""
    i = html.index(start)
    return html[i : html.index(end, i)]


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


def _value(html: str, field_id: str) -> str:
    match = re.search(rf'<input [^>]*id="{re.escape(field_id)}"[^>]*value="([^"]*)"', html)
    assert match, field_id
    return match.group(1)


def _selected(html: str, field_id: str) -> str:
    select = _between(html, f'id="{field_id}"', "</select>")
    match = re.search(r'<option value="([^"]*)" selected>', select)
    return match.group(1) if match else ""


def test_the_form_renders_with_the_vocabulary_and_five_event_rows():
    r = client.get("/calculator")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/html")
    assert "script-src 'self'" in r.headers["content-security-policy"]
    html = r.text
    assert '<h1 class="govuk-heading-l">Deadline calculator</h1>' in html
    assert 'id="event-4-type"' in html and 'id="event-5-type"' not in html
    assert '<option value="strategy_discussion_held">strategy discussion held</option>' in html
    assert '<optgroup label="Child protection">' in html
    # The attributes the vocabulary declares, for the types that read them.
    assert 'id="event-0-icpc_required"' in html and 'id="event-0-placement_type"' in html
    assert '<option value="redcar-and-cleveland">' in html
    # The events form and the workbook form each have a council and an as_of: a
    # screen reader's list of fields must not name two the same.
    labels = [
        re.sub(r"\s+", " ", t).strip() for t in re.findall(r"<label[^>]*>(.*?)</label>", html, re.S)
    ]
    case_wide = [
        t for t in labels if t.startswith(("Council", "Judge the deadlines", "Bank holiday"))
    ]
    assert len(case_wide) == 6 and len(set(case_wide)) == 6, case_wide
    assert "It is not stored or logged" in html
    assert "<script>" not in html  # no inline script: the CSP allows none


def test_a_child_protection_case_across_the_state_funeral():
    r = client.post("/calculator", data=CP_FORM)
    assert r.status_code == 200, r.text
    html = r.text
    table = _between(html, '<table class="govuk-table" id="deadlines">', "</table>")
    assert "Initial child protection conference" in table
    assert '<time datetime="2022-09-27">Tuesday 27 September 2022</time>' in table
    assert "overdue" in table and "9 working days late" in table
    # The picture: a mark on 27 Sep, overdue; and its text equivalent in words.
    svg = _between(html, "<svg", "</svg>")
    assert 'data-status="overdue" data-due="2022-09-27"' in svg
    words = _text(_between(html, 'id="timeline-text"', "</ol>"))
    assert ICPC_SENTENCE in words
    # The explanation: what it was counted from, the offset, the day skipped and why.
    explanation = _between(html, 'id="explanation-1"', "</details>")
    assert 'strategy_discussion_held on <time datetime="2022-09-05">' in explanation
    assert "15 working days" in explanation
    assert FUNERAL in explanation
    assert "within 15 working days of the Strategy Discussion" in explanation  # the quote
    assert "How the source is read" in explanation
    # What was not evaluated: no referral was given, so no assessment deadline.
    not_evaluated = _between(html, 'id="not-evaluated"', "</table>")
    assert "assessment" in not_evaluated and "anchor_not_posted" in not_evaluated


def test_add_another_event_keeps_what_was_typed_without_javascript():
    typed = {
        **CP_FORM,
        "action": "add-event",
        "date_of_birth": "2012-04-02",
        "closed_days": "2022-12-28\n2022-12-29",
        "event-2-type": "s47_completed",
        "event-2-date": "2022-09-20",
        "event-2-icpc_required": "yes",
        "event-3-type": "icpc_held",
        "event-3-date": "2022-10-20",
        "event-3-scheduled": "yes",
    }
    r = client.post("/calculator", data=typed)
    assert r.status_code == 200
    html = r.text
    assert 'name="event_rows" value="6"' in html
    assert 'id="event-5-type"' in html and 'id="event-6-type"' not in html
    assert 'id="answer"' not in html  # nothing computed: the form, one row longer
    assert _selected(html, "event-0-type") == "strategy_discussion_held"
    assert _value(html, "event-0-date") == "2022-09-05"
    assert _selected(html, "event-2-type") == "s47_completed"
    assert _selected(html, "event-2-icpc_required") == "yes"
    assert re.search(r'id="event-3-scheduled" [^>]*checked', html)
    assert not re.search(r'id="event-0-scheduled" [^>]*checked', html)
    assert _value(html, "as-of") == "2022-10-10"
    assert _value(html, "date-of-birth") == "2012-04-02"
    assert "2022-12-28\n2022-12-29</textarea>" in html
    # And calculating the longer form answers the case typed: the conference booked
    # for 20 Oct is after as_of, so the ICPC of 27 Sep is still overdue.
    r = client.post("/calculator", data={**typed, "action": "calculate", "event_rows": "6"})
    assert r.status_code == 200, r.text
    assert ICPC_SENTENCE in _text(_between(r.text, 'id="timeline-text"', "</ol>"))


def test_a_pasted_json_request_is_answered_as_the_api_answers_it():
    r = client.post("/calculator", data={"source": "json", "request_json": json.dumps(CP_REQUEST)})
    assert r.status_code == 200, r.text
    assert ICPC_SENTENCE in _text(_between(r.text, 'id="timeline-text"', "</ol>"))
    assert FUNERAL in r.text
    # The pasted text is shown again, for changing it.
    assert "strategy_discussion_held&#34;, &#34;date&#34;: &#34;2022-09-05" in r.text


def test_a_pasted_request_that_is_not_valid_shows_its_problems_at_the_text_box():
    r = client.post("/calculator", data={"source": "json", "request_json": "{not json"})
    assert r.status_code == 422
    summary = _between(r.text, 'class="govuk-error-summary"', "</ul>")
    assert '<a href="#request-json">' in summary
    body = {**CP_REQUEST, "events": [{"type": "icpc_held", "date": "2022-13-01"}]}
    r = client.post("/calculator", data={"source": "json", "request_json": json.dumps(body)})
    assert r.status_code == 422
    summary = _text(_between(r.text, '<h2 class="govuk-error-summary__title">', "</ul>"))
    assert summary.startswith("There is a problem events.0.date: Event 0:")


def test_an_invalid_event_date_shows_an_error_summary_linking_to_that_field():
    form = {**CP_FORM, "event-1-type": "s47_started", "event-1-date": "2022-09-31"}
    r = client.post("/calculator", data=form)
    assert r.status_code == 422
    html = r.text
    assert "<title>Error: Deadline calculator" in html
    summary = _between(html, 'class="govuk-error-summary"', "</ul>")
    links = re.findall(r'<a href="#([^"]+)">([^<]*)</a>', summary)
    assert len(links) == 1
    field, message = links[0]
    assert field == "event-1-date"  # the second row: the domain's event 1
    assert message.startswith("Event 2: &#39;2022-09-31&#39; is not a real date")
    # The field itself shows the message and is marked in error.
    assert 'id="event-1-date-error"' in html
    assert re.search(r'class="govuk-input [^"]*govuk-input--error" id="event-1-date"', html)
    assert _value(html, "event-1-date") == "2022-09-31"  # kept, to correct


def test_a_row_without_a_type_and_an_unknown_council_are_located_too():
    form = {**CP_FORM, "authority": "atlantis", "event-2-date": "2022-09-06"}
    r = client.post("/calculator", data=form)
    assert r.status_code == 422
    summary = _between(r.text, 'class="govuk-error-summary"', "</ul>")
    # The form's own check comes first: the council is checked with the request.
    assert re.findall(r'<a href="#([^"]+)">', summary) == ["event-2-type"]
    form = {**CP_FORM, "authority": "atlantis"}
    r = client.post("/calculator", data=form)
    assert r.status_code == 422
    summary = _between(r.text, 'class="govuk-error-summary"', "</ul>")
    assert re.findall(r'<a href="#([^"]+)">', summary) == ["authority"]


# As tests/test_overdue_workbook.py: child C1, plan from 1 Sep 2026, last visit Mon 2
# Nov. Redcar's CP visit: 10 working days from the last: 3-6 Nov (4), 9-13 (9), Mon 16
# Nov (10); as of Fri 20 Nov, overdue 17, 18, 19, 20 = 4 working days. C2's visit
# date is not a date: a value the workbook could not give.
C1 = ["C1", d("2015-05-05"), d("2026-09-01"), d("2026-11-02"), "Yes", d("2026-10-01")]
C1 += [None, "North", "J Smith"]
C2 = ["C2", d("2016-06-06"), d("2026-09-01"), "last Tuesday", "No", None, None, "South", "A"]
WORKBOOK = list7_workbook([C1, C2])
UPLOAD = {"source": "annex_a", "authority": "redcar-and-cleveland", "as_of": "2026-11-20"}


def _upload(book: bytes = WORKBOOK, **fields: str) -> httpx.Response:
    files = {"workbook": ("annex-a.xlsx", book, XLSX)}
    return client.post("/calculator", data={**UPLOAD, **fields}, files=files)


def test_an_annex_a_upload_asks_which_child_then_answers_for_that_child():
    r = _upload()
    assert r.status_code == 422
    html = r.text
    assert '<a href="#workbook-child">The workbook holds 2 children: choose one' in html
    child = _between(html, 'id="workbook-child"', "</select>")
    assert '<option value="C1">C1</option>' in child and '<option value="C2">C2</option>' in child

    r = _upload(child="C1")
    assert r.status_code == 200, r.text
    html = r.text
    assert "Deadlines for the child C1" in html
    table = _between(html, 'id="deadlines"', "</table>")
    assert '<time datetime="2026-11-16">Monday 16 November 2026</time>' in table
    assert "4 working days late" in table
    assert 'data-due="2026-11-16"' in _between(html, "<svg", "</svg>")
    # Annex A records no core groups: not judged, rather than reported missed.
    assert "not_recorded" in _between(html, 'id="not-evaluated"', "</table>")


def test_an_annex_a_child_s_unusable_values_are_shown_with_the_answer():
    r = _upload(child="C2")
    assert r.status_code == 200, r.text
    problems = _text(_between(r.text, 'id="source-problems"', "</ul>")).replace("&#39;", "'")
    # C2's own row, and the lists this workbook does not have (every child's problem).
    assert (
        "List 7, row 3, Date of the Last Statutory Visit: 'last Tuesday' is not a date" in problems
    )
    assert "List 8: no sheet for List 8 (Children in care)" in problems


def test_a_file_that_is_not_a_workbook_is_a_problem_at_the_file_field():
    r = _upload(b"not a workbook")
    assert r.status_code == 422
    assert '<a href="#workbook">The body is not an xlsx workbook' in r.text


def test_an_upload_over_the_body_limit_is_an_html_page_and_the_api_keeps_its_problem():
    from app.main import create_app
    from app.settings import Settings

    small = TestClient(create_app(settings=Settings(max_body_bytes=2048)))
    files = {"workbook": ("annex-a.xlsx", b"x" * 4096, XLSX)}
    r = small.post("/calculator", data=UPLOAD, files=files)
    assert r.status_code == 413
    assert r.headers["content-type"].startswith("text/html")
    assert "The file or form is too large" in r.text and "2048 bytes" in r.text
    assert "script-src 'self'" in r.headers["content-security-policy"]
    api = small.post(
        "/v1/deadlines",
        content=b"{" + b" " * 4096 + b"}",
        headers={"Content-Type": "application/json"},
    )
    assert api.status_code == 413
    assert api.headers["content-type"].startswith("application/problem+json")


def _download(fmt: str, body: dict[str, object] = CP_REQUEST) -> httpx.Response:
    return client.post(
        "/calculator/download", data={"request_json": json.dumps(body), "format": fmt}
    )


def test_the_answer_page_carries_the_request_for_its_downloads():
    html = client.post("/calculator", data=CP_FORM).text
    form = _between(html, 'action="/calculator/download"', "</form>")
    carried = re.search(r'name="request_json" value="([^"]*)"', form)
    assert carried
    text = carried.group(1).replace("&#34;", '"').replace("&#39;", "'")
    assert json.loads(text) == CP_REQUEST
    assert 'value="ics"' in form and 'value="csv"' in form and 'value="json"' in form


def test_downloads_are_icalendar_csv_and_json_of_the_same_answer():
    r = _download("ics")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/calendar")
    assert r.headers["content-disposition"] == 'attachment; filename="deadlines.ics"'
    assert r.headers["cache-control"] == "no-store"
    # The ICPC is overdue, so open: an all-day event on 27 Sep 2022.
    assert "DTSTART;VALUE=DATE:20220927" in r.text

    r = _download("csv")
    assert r.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(r.text)))
    icpc = next(row for row in rows if row["requirement"] == "icpc")
    assert (icpc["due"], icpc["status"], icpc["working_days_overdue"]) == (
        "2022-09-27",
        "overdue",
        "9",
    )
    assert any(row["status"] == "not_evaluated" for row in rows)

    r = _download("json")
    assert r.headers["content-type"].startswith("application/json")
    assert r.json() == client.post("/v1/deadlines", json=CP_REQUEST).json()


def test_a_download_of_a_request_that_is_not_valid_is_the_page_with_its_problems():
    r = _download("csv", {**CP_REQUEST, "as_of": "10/10/2022"})
    assert r.status_code == 422
    assert r.headers["content-type"].startswith("text/html")
    assert '<a href="#request-json">as_of:' in r.text
    r = _download("pdf")
    assert r.status_code == 422


SECRET_BIRTH = "2012-04-02"
SECRET_REF = "MOSAIC-PERSON-998877"
SECRET_DAY = "2022-09-06"
SERVER = textwrap.dedent(
    """
    import sys
    import uvicorn
    from app.logs import logging_config
    from app.main import create_app

    uvicorn.run(create_app(), host="127.0.0.1", port=int(sys.argv[1]),
                log_config=logging_config("DEBUG"), access_log=True)
    """
)


def test_no_case_data_entered_on_the_page_is_logged(tmp_path):
    """As tests/test_log_hygiene.py: the service run for real, at DEBUG, with the
    access log on; every line it writes is searched for what was entered."""
    script = tmp_path / "server.py"
    script.write_text(SERVER)
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, str(script), str(port)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    secret = {
        **CP_REQUEST,
        "child": {"date_of_birth": SECRET_BIRTH},
        "events": [
            {"type": "strategy_discussion_held", "date": "2022-09-05", "ref": SECRET_REF},
            {"type": "s47_started", "date": SECRET_DAY, "ref": SECRET_REF},
        ],
    }
    try:
        wait_until_up(server, base)
        with httpx.Client(base_url=base) as http:
            pasted = {"source": "json", "request_json": json.dumps(secret)}
            assert http.post("/calculator", data=pasted).status_code == 200
            bad = {**secret, "as_of": SECRET_BIRTH + "x"}
            pasted_bad = {"source": "json", "request_json": json.dumps(bad)}
            assert http.post("/calculator", data=pasted_bad).status_code == 422
            form = {**CP_FORM, "date_of_birth": SECRET_BIRTH, "event-1-type": "s47_started"}
            form["event-1-date"] = SECRET_DAY + "x"
            assert http.post("/calculator", data=form).status_code == 422
            files = {"workbook": ("annex-a.xlsx", WORKBOOK, XLSX)}
            upload = {**UPLOAD, "child": "C1"}
            assert http.post("/calculator", data=upload, files=files).status_code == 200
            for fmt in ("ics", "csv", "json"):
                download = {"request_json": json.dumps(secret), "format": fmt}
                assert http.post("/calculator/download", data=download).status_code == 200
    finally:
        server.terminate()
        out, _ = server.communicate(timeout=10)
    text = out.decode("utf-8", "replace")
    assert "POST /calculator 200" in text or '"POST /calculator' in text  # it did log requests
    for value in (SECRET_BIRTH, SECRET_REF, SECRET_DAY, "J Smith", "2015-05-05"):
        assert value not in text, value


def test_a_deadline_under_an_unverified_text_shows_which_text_and_the_warning():
    # A 2016 placement: CPPCR reg 28 as amended by SI 2015/495, whose text was not
    # verified (worked example cla-visit-2016-reg-28-as-amended-unverified).
    foster = {"placement_type": "foster"}
    request = {
        "authority": "england",
        "as_of": "2016-06-03",
        "child": {"date_of_birth": "2010-09-01"},
        "events": [
            {"type": "became_looked_after", "date": "2016-03-07"},
            {"type": "placement_started", "date": "2016-03-07", "attributes": foster},
            {"type": "statutory_visit", "date": "2016-03-11"},
        ],
    }
    r = client.post("/calculator", data={"source": "json", "request_json": json.dumps(request)})
    assert r.status_code == 200, r.text
    text = _text(r.text)
    assert (
        "Text in force The rule as amended by SI 2015/495 (in force 1 April 2015), in force "
        "from Wednesday 1 April 2015" in text
    )
    assert "Warning Text not verified: SI 2015/495 amended Part 5" in text
    # A council's standard says when it came in.
    glos = {
        "authority": "gloucestershire",
        "as_of": "2026-06-03",
        "events": [{"type": "referral_received", "date": "2026-05-05"}],
    }
    r = client.post("/calculator", data={"source": "json", "request_json": json.dumps(glos)})
    assert r.status_code == 200, r.text
    assert "The rule as cited, in force from Saturday 1 June 2024" in _text(r.text)


def test_an_approved_exception_is_shown_beside_the_deadline_s_own_date():
    # england.cla_review: 20 working days from Thu 5 Nov 2026 = Thu 3 Dec; revised to
    # Thu 17 Dec by the IRO (tests/test_approved_exceptions.py counts it).
    request = {
        "authority": "england",
        "as_of": "2026-12-10",
        "events": [{"type": "became_looked_after", "date": "2026-11-05"}],
        "exceptions": [
            {
                "requirement": "cla_review",
                "due": "2026-12-03",
                "revised_due": "2026-12-17",
                "reason": "Parent in hospital",
                "approved_by": "Independent Reviewing Officer",
                "approved_on": "2026-11-30",
            }
        ],
    }
    r = client.post("/calculator", data={"source": "json", "request_json": json.dumps(request)})
    assert r.status_code == 200, r.text
    text = _text(r.text)
    assert (
        "Approved exception Revised to Thursday 17 December 2026 (upcoming against it), "
        "approved by Independent Reviewing Officer on Monday 30 November 2026"
    ) in text
    assert "Parent in hospital. The due date above is the deadline's own" in text
