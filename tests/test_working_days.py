"""Working-day arithmetic: hand-checked worked examples, then properties.

Each row was worked out by hand from GOV.UK's list for that year and is
annotated with the days it crosses; the comment is the check.
"""

import datetime as dt

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from app.calendars import WorkingDayCalendar
from app.errors import OutOfRange
from tests import oracle_calendar as oracle

D = dt.date.fromisoformat
EW, SC, NI = "england-and-wales", "scotland", "northern-ireland"

# (calendar, start, n, expected result, closed days, why)
ADD_EXAMPLES = [
    (EW, "2022-09-05", 15, "2022-09-27", (), "ICPC clock crossing the 2022-09-19 state funeral"),
    (EW, "2022-09-27", -15, "2022-09-05", (), "the same, counted back"),
    (EW, "2020-05-07", 1, "2020-05-11", (), "VE Day 2020-05-08 replaced the early May holiday"),
    (
        EW,
        "2020-05-01",
        1,
        "2020-05-04",
        (),
        "2020-05-04 was a working day: May Day moved to the 8th",
    ),
    (EW, "2022-06-01", 1, "2022-06-06", (), "jubilee: spring holiday Thu 2nd and jubilee Fri 3rd"),
    (
        EW,
        "2022-05-27",
        5,
        "2022-06-07",
        (),
        "30, 31 May, 1 June; skip 2, 3 June and the weekend; 6, 7",
    ),
    (EW, "2023-05-05", 1, "2023-05-09", (), "coronation Monday 2023-05-08"),
    (EW, "2023-05-01", 5, "2023-05-09", (), "from the early May holiday across the coronation"),
    (EW, "2023-05-08", 1, "2023-05-09", (), "a start on a bank holiday is still day 0"),
    (
        EW,
        "2021-12-24",
        1,
        "2021-12-29",
        (),
        "Christmas and Boxing Day substitutes Mon 27 and Tue 28",
    ),
    (EW, "2021-12-31", 1, "2022-01-04", (), "New Year's Day substitute Mon 2022-01-03"),
    (EW, "2026-11-21", 1, "2026-11-23", (), "start on a Saturday: Monday is the first working day"),
    (EW, "2026-11-21", 0, "2026-11-21", (), "N = 0 is the date itself, working day or not"),
    (EW, "2026-11-22", -1, "2026-11-20", (), "back from a Sunday: the Friday"),
    (EW, "2023-12-29", 1, "2024-01-02", (), "England has no 2 January holiday"),
    (EW, "2024-03-28", 1, "2024-04-02", (), "Good Friday and Easter Monday"),
    (EW, "2024-11-29", 1, "2024-12-02", (), "St Andrew's Day is Scottish only"),
    (EW, "2024-03-15", 1, "2024-03-18", (), "St Patrick's Day is Northern Irish only"),
    (EW, "2026-12-24", 1, "2026-12-29", (), "Christmas Fri 25, Boxing Day substitute Mon 28"),
    (
        EW,
        "2026-12-24",
        1,
        "2027-01-04",
        ("2026-12-29", "2026-12-30", "2026-12-31"),
        "with a council Christmas closure, and New Year's Day Fri 2027-01-01",
    ),
    (
        EW,
        "2026-12-31",
        -1,
        "2026-12-24",
        ("2026-12-29", "2026-12-30"),
        "back over closed days and Christmas",
    ),
    (EW, "2026-11-23", 2, "2026-11-25", ("2026-11-21",), "a closed Saturday changes nothing"),
    (SC, "2023-12-29", 1, "2024-01-03", (), "Scotland: New Year's Day and 2 January"),
    (SC, "2021-12-31", 1, "2022-01-05", (), "Scotland: substitutes Mon 3 and Tue 4 January 2022"),
    (SC, "2024-11-29", 1, "2024-12-03", (), "St Andrew's Day (Sat 30th) substitute Mon 2 December"),
    (SC, "2025-11-28", 1, "2025-12-02", (), "St Andrew's Day (Sun 30th) substitute Mon 1 December"),
    (SC, "2024-03-28", 1, "2024-04-01", (), "Scotland has Good Friday but no Easter Monday"),
    (
        SC,
        "2024-08-02",
        1,
        "2024-08-06",
        (),
        "Scotland's summer holiday is the first Monday in August",
    ),
    (SC, "2024-08-23", 1, "2024-08-26", (), "...and the last Monday in August is a working day"),
    (SC, "2022-09-16", 1, "2022-09-20", (), "the state funeral was a holiday in Scotland too"),
    (NI, "2024-03-15", 1, "2024-03-19", (), "St Patrick's Day (Sun 17th) substitute Mon 18 March"),
    (NI, "2019-03-15", 1, "2019-03-19", (), "St Patrick's Day 2019 (Sun 17th) substitute Mon 18th"),
    (
        NI,
        "2025-07-11",
        1,
        "2025-07-15",
        (),
        "Battle of the Boyne (Sat 12th) substitute Mon 14 July",
    ),
    (
        NI,
        "2020-07-10",
        1,
        "2020-07-14",
        (),
        "Battle of the Boyne (Sun 12th) substitute Mon 13 July",
    ),
    (NI, "2023-05-05", 1, "2023-05-09", (), "the coronation in Northern Ireland"),
    (NI, "2024-03-28", 1, "2024-04-02", (), "Northern Ireland has Easter Monday"),
]


@pytest.mark.parametrize(("calendar_id", "start", "n", "expected", "closed", "why"), ADD_EXAMPLES)
def test_add_working_days_examples(calendars, calendar_id, start, n, expected, closed, why):
    calendar = calendars[calendar_id]
    closed_days = [D(c) for c in closed]
    assert calendar.add_working_days(D(start), n, closed_days) == D(expected), why
    # and the inverse, by the contract's counting convention
    assert calendar.working_days_between(D(start), D(expected), closed_days) == n, why


BETWEEN_EXAMPLES = [
    (EW, "2022-09-05", "2022-09-27", 15, "the ICPC span"),
    (EW, "2026-11-27", "2026-11-29", 0, "Friday to Sunday: no working day after Friday"),
    (EW, "2026-11-29", "2026-11-27", -1, "Sunday back to Friday: Friday is counted"),
    (EW, "2026-11-23", "2026-11-23", 0, "same day"),
    (EW, "2026-11-23", "2026-11-30", 5, "a week"),
    (
        EW,
        "2022-12-23",
        "2023-01-03",
        4,
        "28, 29, 30 Dec and 3 Jan; 26, 27 Dec and 2 Jan are holidays",
    ),
    (
        SC,
        "2022-12-23",
        "2023-01-04",
        4,
        "Scotland: 2 Jan is 2nd January, 3 Jan the New Year substitute",
    ),
]


@pytest.mark.parametrize(("calendar_id", "start", "end", "expected", "why"), BETWEEN_EXAMPLES)
def test_working_days_between_examples(calendars, calendar_id, start, end, expected, why):
    assert calendars[calendar_id].working_days_between(D(start), D(end)) == expected, why


def test_skipped_days_name_the_holiday(calendars):
    span = calendars[EW].explain_add(D("2022-09-05"), 15)
    reasons = {s.date.isoformat(): s.reason for s in span.skipped}
    assert reasons["2022-09-19"] == "Bank Holiday for the State Funeral of Queen Elizabeth II"
    assert reasons["2022-09-10"] == "weekend"
    assert len(span.skipped) == 7  # three weekends and the funeral
    assert span.provisional is False


def test_closed_days_are_reported_as_closed(calendars):
    closed = [D("2026-12-29")]
    span = calendars[EW].explain_add(D("2026-12-24"), 2, closed)
    assert span.end == D("2026-12-31")
    assert [(s.date.isoformat(), s.reason) for s in span.skipped] == [
        ("2026-12-25", "Christmas Day"),
        ("2026-12-26", "weekend"),
        ("2026-12-27", "weekend"),
        ("2026-12-28", "Boxing Day"),
        ("2026-12-29", "closed"),
    ]


def test_provisional_when_counting_into_projected_years(calendars):
    span = calendars[EW].explain_add(D("2028-12-29"), 1)
    assert span.end == D("2029-01-02")  # New Year's Day 2029 is a Monday, projected
    assert span.provisional is True
    assert calendars[EW].explain_add(D("2028-12-20"), 1).provisional is False


@pytest.mark.parametrize(
    ("start", "n"), [("2012-01-03", -5), ("2060-12-20", 20), ("2030-01-01", 10**6)]
)
def test_counting_off_the_range_is_out_of_range(calendars, start, n):
    with pytest.raises(OutOfRange, match="supported range 2012-01-01 to 2060-12-31"):
        calendars[EW].add_working_days(D(start), n)


def test_dates_outside_the_range_are_refused(calendars):
    with pytest.raises(OutOfRange):
        calendars[SC].is_working_day(D("2011-12-31"))
    with pytest.raises(OutOfRange):
        calendars[SC].working_days_between(D("2020-01-01"), D("2061-01-01"))


# -- properties ---------------------------------------------------------------------------

calendar_ids = st.sampled_from([EW, SC, NI])
days = st.dates(min_value=dt.date(2012, 1, 1), max_value=dt.date(2060, 12, 31))
counts = st.integers(min_value=-400, max_value=400)
closed_sets = st.lists(st.dates(dt.date(2020, 1, 1), dt.date(2032, 12, 31)), max_size=12)


def naive_add(calendar: WorkingDayCalendar, day: dt.date, n: int, closed: set[dt.date]) -> dt.date:
    """The obvious day-by-day loop: the reference the fast version must match."""
    step = 1 if n > 0 else -1
    while n:
        day += dt.timedelta(days=step)
        if day.weekday() < 5 and day not in calendar.holidays and day not in closed:
            n -= step
    return day


def _add(calendar, day, n, closed=()):
    try:
        return calendar.add_working_days(day, n, closed)
    except OutOfRange:
        assume(False)
        raise


@settings(max_examples=400, deadline=None)
@given(calendar_ids, days, counts, closed_sets)
def test_add_matches_the_naive_loop(calendars, calendar_id, day, n, closed):
    calendar = calendars[calendar_id]
    result = _add(calendar, day, n, closed)
    assert result == naive_add(calendar, day, n, set(closed))


@settings(max_examples=400, deadline=None)
@given(calendar_ids, days, counts.filter(bool), closed_sets)
def test_an_added_date_is_always_a_working_day(calendars, calendar_id, day, n, closed):
    calendar = calendars[calendar_id]
    result = _add(calendar, day, n, closed)
    assert calendar.is_working_day(result, frozenset(closed))


@settings(max_examples=400, deadline=None)
@given(calendar_ids, days, counts, closed_sets)
def test_add_and_between_are_inverse(calendars, calendar_id, day, n, closed):
    calendar = calendars[calendar_id]
    result = _add(calendar, day, n, closed)
    assert calendar.working_days_between(day, result, closed) == n


@settings(max_examples=400, deadline=None)
@given(calendar_ids, days, counts, closed_sets)
def test_add_is_strictly_monotonic_in_n(calendars, calendar_id, day, n, closed):
    calendar = calendars[calendar_id]
    assert _add(calendar, day, n, closed) < _add(calendar, day, n + 1, closed)


@settings(max_examples=300, deadline=None)
@given(calendar_ids, days, days)
def test_between_counts_what_a_loop_counts(calendars, calendar_id, start, end):
    calendar = calendars[calendar_id]
    lo, hi = sorted((start, end))
    assume((hi - lo).days < 3000)
    if end >= start:  # (start, end]
        span = [lo + dt.timedelta(days=i) for i in range(1, (hi - lo).days + 1)]
        sign = 1
    else:  # [end, start)
        span = [lo + dt.timedelta(days=i) for i in range((hi - lo).days)]
        sign = -1
    expected = sign * sum(calendar.is_working_day(d) for d in span)
    assert calendar.working_days_between(start, end) == expected


# -- closed days: the tables kept for each set of closed days --------------------------------
#
# Checked against tests/oracle_calendar.py, which counts day by day from GOV.UK's feed and
# shares no code with app/. Its feed has only the published years, so the oracle is asked
# about spans inside them; beyond, the day-by-day loop above (which reads the calendar's
# projected holidays) is the reference. Closed days are any days of the supported range,
# as the API takes them (up to 366, settings.max_closed_days), weekends and holidays included.

published_days = st.dates(min_value=dt.date(2012, 1, 1), max_value=dt.date(2028, 6, 30))


@st.composite
def closed_near(draw, around: dt.date) -> frozenset[dt.date]:
    """Up to 366 closed days, most within 600 days of `around` so that counts cross them."""
    offsets = draw(st.lists(st.integers(-600, 600), max_size=366))
    anywhere = draw(st.lists(days, max_size=5))
    near = (around + dt.timedelta(days=k) for k in offsets)
    return frozenset(d for d in (*near, *anywhere) if D("2012-01-01") <= d <= D("2060-12-31"))


closed_forms = st.sampled_from([frozenset, tuple, list])


def _oracle_add_or_off_range(calendar_id, day, n, closed):
    """The oracle's answer, or None where it leaves the supported range."""
    result = oracle.add_working_days(day, n, calendar_id, closed)
    return result if D("2012-01-01") <= result <= D("2060-12-31") else None


@settings(max_examples=300, deadline=None)
@given(calendar_ids, published_days, st.integers(-400, 400), st.data(), closed_forms)
def test_add_with_closed_days_matches_the_oracle(calendars, calendar_id, day, n, data, form):
    closed = data.draw(closed_near(day))
    calendar = calendars[calendar_id]
    expected = _oracle_add_or_off_range(calendar_id, day, n, closed)
    assume(expected is None or expected <= calendar.published_last)
    if expected is None:
        with pytest.raises(OutOfRange):
            calendar.add_working_days(day, n, form(closed))
    else:
        assert calendar.add_working_days(day, n, form(closed)) == expected


@settings(max_examples=300, deadline=None)
@given(calendar_ids, published_days, st.integers(-700, 700), st.data(), closed_forms)
def test_between_with_closed_days_matches_the_oracle(calendars, calendar_id, start, k, data, form):
    closed = data.draw(closed_near(start))
    end = start + dt.timedelta(days=k)
    assume(D("2012-01-01") <= end <= calendars[calendar_id].published_last)
    expected = oracle.working_days_between(start, end, calendar_id, closed)
    assert calendars[calendar_id].working_days_between(start, end, form(closed)) == expected


@settings(max_examples=200, deadline=None)
@given(calendar_ids, days, st.integers(-400, 400), st.data())
def test_add_with_closed_days_matches_the_loop_to_the_range_end(
    calendars, calendar_id, day, n, data
):
    """Over the whole range, projected years included, and counts that leave it."""
    closed = data.draw(closed_near(day))
    calendar = calendars[calendar_id]
    expected = naive_add(calendar, day, n, set(closed))
    if not calendar.first <= expected <= calendar.last:
        with pytest.raises(OutOfRange):
            calendar.add_working_days(day, n, closed)
    else:
        assert calendar.add_working_days(day, n, closed) == expected
        assert calendar.working_days_between(day, expected, closed) == n


@settings(max_examples=150, deadline=None)
@given(calendar_ids, published_days, st.integers(-60, 60), st.data())
def test_explained_counts_with_closed_days_skip_what_the_oracle_skips(
    calendars, calendar_id, day, n, data
):
    closed = data.draw(closed_near(day))
    try:
        span = calendars[calendar_id].explain_add(day, n, tuple(closed))
    except OutOfRange:  # counted back past 2012-01-01: the properties above cover it
        assume(False)
        raise
    assert span.end == oracle.add_working_days(day, n, calendar_id, closed)
    lo, hi = sorted((day, span.end))
    counted = (  # the span the convention counts: after the start, up to the end
        [lo + dt.timedelta(days=i) for i in range(1, (hi - lo).days + 1)]
        if n >= 0
        else [lo + dt.timedelta(days=i) for i in range((hi - lo).days)]
    )
    not_working = [d for d in counted if not oracle.is_working_day(d, calendar_id, closed)]
    assert [s.date for s in span.skipped] == not_working
    closed_reasons = [s.date for s in span.skipped if s.reason == "closed"]
    assert closed_reasons == [
        d for d in not_working if d in closed and oracle.is_working_day(d, calendar_id)
    ]


def test_counting_off_the_range_with_closed_days_is_the_same_error(calendars):
    calendar = calendars[EW]
    closed = [D("2060-12-29"), D("2060-12-30")]
    for day, n, field in ((D("2060-12-20"), 20, "days"), (D("2061-01-01"), 1, "date")):
        with pytest.raises(OutOfRange) as without:
            calendar.add_working_days(day, n)
        with pytest.raises(OutOfRange) as with_closed:
            calendar.add_working_days(day, n, closed)
        assert str(with_closed.value) == str(without.value)
        assert with_closed.value.errors == without.value.errors
        assert [e.loc for e in with_closed.value.errors] == [(field,)]
    # 2060-12-31 is a Friday (Zeller: (31 + 33 + 60 + 15 + 5 + 100) mod 7 = 6), so the 29th
    # is a Wednesday: with it and the 30th closed, from Tuesday the 28th the 31st is the
    # next working day and the last of the range, and one more leaves the range.
    assert calendar.add_working_days(D("2060-12-28"), 1, closed) == D("2060-12-31")
    with pytest.raises(OutOfRange, match="Counting that many working days leaves"):
        calendar.add_working_days(D("2060-12-28"), 2, closed)
    with pytest.raises(OutOfRange) as end:
        calendar.working_days_between(D("2060-12-28"), D("2061-01-01"), closed)
    assert [e.loc for e in end.value.errors] == [("end",)]


def test_closed_days_outside_the_range_change_nothing(calendars):
    calendar = calendars[EW]
    # Mon 2026-11-23 plus 2 working days is Wed the 25th; days outside the range are ignored.
    assert calendar.add_working_days(D("2026-11-23"), 2, [D("2011-12-30"), D("2061-01-03")]) == D(
        "2026-11-25"
    )


def test_a_changed_list_of_closed_days_is_read_again(calendars):
    calendar = calendars[EW]
    closed = [D("2026-11-24")]  # a Tuesday
    assert calendar.add_working_days(D("2026-11-23"), 1, closed) == D("2026-11-25")
    closed.append(D("2026-11-25"))
    assert calendar.add_working_days(D("2026-11-23"), 1, closed) == D("2026-11-26")
    closed.clear()
    assert calendar.add_working_days(D("2026-11-23"), 1, closed) == D("2026-11-24")


def test_tables_are_kept_for_a_bounded_number_of_closed_sets(calendars):
    from app.calendars.working_days import CLOSED_TABLES_KEPT

    calendar = calendars[NI]
    # One set of closed days per week of 2027-2028, more sets than are kept: each closes
    # that week's Tuesday, and one working day after its Monday is checked with the oracle.
    mondays = [D("2027-01-04") + dt.timedelta(weeks=k) for k in range(CLOSED_TABLES_KEPT + 10)]
    for _ in range(2):  # the second time round, the first sets have been dropped and rebuilt
        for monday in mondays:
            closed = frozenset({monday + dt.timedelta(days=1)})
            expected = oracle.add_working_days(monday, 1, NI, closed)
            assert calendar.add_working_days(monday, 1, closed) == expected
            assert calendar.add_working_days(monday, 1, tuple(closed)) == expected
            assert calendar.working_days_between(monday, expected, list(closed)) == 1
    assert calendar._tables_for.cache_info().currsize <= CLOSED_TABLES_KEPT
    # and the calendar's own tables are untouched by the sets kept beside them
    assert calendar.add_working_days(D("2026-11-23"), 1) == D("2026-11-24")
