"""Benchmark: working-day add and between, against a naive loop and NumPy.

    python scripts/bench_calendars.py [--calls 100000] [--seed 1] [--repeat 3]

Times 100,000 random calls of add_working_days and working_days_between on
the England and Wales calendar (dates 2012-2060, N in -60..60, the size of
real deadlines), the same calls through the obvious day-by-day loop, and
through scalar numpy.busday_offset / numpy.busday_count on the same
holidays. Checks that all three agree on every call, then prints
microseconds per call and the ratios. Not a test: figures, not assertions.

Then the same calls against a table proxy (the bare look-ups in the
calendar's own tables, with no range check: the least a table-driven answer
can cost), and with 3 and with 366 closed days the caller names (random
weekdays of the range, as a frozenset as the engine passes them and as a
tuple as the calendar API does), each checked against the loop. The fast
figures are the best of --repeat runs, since the machine is shared.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.calendars import bank_holiday_data

ONE = dt.timedelta(days=1)


def naive_add(holidays: set[dt.date], day: dt.date, n: int) -> dt.date:
    step = 1 if n > 0 else -1
    while n:
        day += step * ONE
        if day.weekday() < 5 and day not in holidays:
            n -= step
    return day


def naive_between(holidays: set[dt.date], start: dt.date, end: dt.date) -> int:
    def working(d: dt.date) -> bool:
        return d.weekday() < 5 and d not in holidays

    if end >= start:
        return sum(working(start + i * ONE) for i in range(1, (end - start).days + 1))
    return -sum(working(end + i * ONE) for i in range((start - end).days))


def per_call_us(fn, args: list[tuple]) -> tuple[float, list]:  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    out = [fn(*a) for a in args]
    return (time.perf_counter() - started) / len(args) * 1e6, out


def best_us(fn, args: list[tuple], repeat: int) -> tuple[float, list]:  # type: ignore[no-untyped-def]
    """The fastest of `repeat` runs: the least disturbed by other work on the machine."""
    runs = [per_call_us(fn, args) for _ in range(max(1, repeat))]
    return min(us for us, _ in runs), runs[0][1]


def table_proxy(working: list[bool], base: int):  # type: ignore[no-untyped-def]
    """add and between as bare look-ups in prefix-count and n-th-day tables of
    `working` (one flag a day from ordinal `base`): no range check, no call
    inside. What a table-driven answer cannot beat."""
    count = [0] * (len(working) + 1)
    for i, is_working in enumerate(working):
        count[i + 1] = count[i] + is_working
    nth_date = [dt.date.fromordinal(base + i) for i, w in enumerate(working) if w]

    # `closed` is taken and ignored so that the proxy is called exactly as the
    # service is: the same arguments, no wrapper around either.
    def add(d: dt.date, n: int, closed: object = ()) -> dt.date:
        i = d.toordinal() - base
        return nth_date[count[i + 1] + n - 1 if n > 0 else count[i] + n] if n else d

    def between(s: dt.date, e: dt.date, closed: object = ()) -> int:
        i, j = s.toordinal() - base, e.toordinal() - base
        return count[j + 1] - count[i + 1] if j >= i else count[j] - count[i]

    return add, between


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--calls", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    calendar = bank_holiday_data().calendars["england-and-wales"]
    holidays = set(calendar.holidays)
    np_holidays = np.array(sorted(holidays), dtype="datetime64[D]")
    rng = random.Random(args.seed)
    first = dt.date(2012, 6, 1).toordinal()
    last = dt.date(2060, 8, 1).toordinal()

    adds = [
        (
            dt.date.fromordinal(rng.randint(first, last)),
            rng.choice([n for n in range(-60, 61) if n]),
        )
        for _ in range(args.calls)
    ]
    betweens = []
    for _ in range(args.calls):
        start = dt.date.fromordinal(rng.randint(first, last))
        betweens.append((start, start + dt.timedelta(days=rng.randint(-90, 90))))

    fast_add, ours_add = best_us(calendar.add_working_days, adds, args.repeat)
    slow_add, naive_adds = per_call_us(lambda d, n: naive_add(holidays, d, n), adds)

    def numpy_add(d: dt.date, n: int) -> dt.date:
        roll = "backward" if n > 0 else "forward"
        out = np.busday_offset(np.datetime64(d, "D"), n, roll=roll, holidays=np_holidays)
        return out.astype(dt.date)  # type: ignore[no-any-return]

    numpy_add_us, numpy_adds = per_call_us(numpy_add, adds)

    fast_between, ours_between = best_us(calendar.working_days_between, betweens, args.repeat)
    slow_between, naive_betweens = per_call_us(lambda s, e: naive_between(holidays, s, e), betweens)

    def numpy_between(s: dt.date, e: dt.date) -> int:
        if e >= s:
            return int(np.busday_count(s + ONE, e + ONE, holidays=np_holidays))
        # numpy's reverse count is antisymmetric; ours counts [end, start).
        return -int(np.busday_count(e, s, holidays=np_holidays))

    numpy_between_us, numpy_betweens = per_call_us(numpy_between, betweens)

    assert ours_add == naive_adds == numpy_adds, "add: implementations disagree"
    assert ours_between == naive_betweens == numpy_betweens, "between: implementations disagree"

    print(f"{args.calls:,} random calls each, england-and-wales, all three agree on every call")
    print(f"{'':24}{'this service':>14}{'naive loop':>14}{'numpy scalar':>14}")
    print(
        f"{'add_working_days':24}{fast_add:>11.2f} us{slow_add:>11.2f} us{numpy_add_us:>11.2f} us"
    )
    print(
        f"{'working_days_between':24}{fast_between:>11.2f} us{slow_between:>11.2f} us"
        f"{numpy_between_us:>11.2f} us"
    )
    print(
        f"speed-up: add {slow_add / fast_add:.0f}x over the loop, {numpy_add_us / fast_add:.0f}x "
        f"over numpy; between {slow_between / fast_between:.0f}x over the loop, "
        f"{numpy_between_us / fast_between:.0f}x over numpy"
    )

    # -- against the table proxy, and with closed days ----------------------------------
    base = calendar.first.toordinal()
    span = calendar.last.toordinal() - base + 1
    days = [dt.date.fromordinal(base + i) for i in range(span)]
    working = [d.weekday() < 5 and d not in holidays for d in days]
    weekdays = [d for d in days if d.weekday() < 5]
    print()
    print(f"{'':34}{'this service':>14}{'table proxy':>14}{'ratio':>8}{'vs none':>9}")
    none: dict[str, float] = {}
    for label, closed in (
        ("no closed days", frozenset[dt.date]()),
        ("3 closed days", frozenset(rng.sample(weekdays, 3))),
        ("366 closed days", frozenset(rng.sample(weekdays, 366))),
    ):
        off = holidays | closed
        proxy_add, proxy_between = table_proxy(
            [w and d not in closed for d, w in zip(days, working, strict=True)], base
        )
        # Without closed days the service is called as the engine calls it, with
        # none named; with them, with the days named as a frozenset and a tuple.
        forms: tuple[tuple[str, tuple[object, ...]], ...] = (("", ()),)
        if closed:
            forms = (("", (closed,)), (", as a tuple", (tuple(sorted(closed)),)))
        for form, given in forms:
            for what, ours, proxy, pairs, naive in (
                ("add", calendar.add_working_days, proxy_add, adds, naive_add),
                ("between", calendar.working_days_between, proxy_between, betweens, naive_between),
            ):
                calls = [(*pair, *given) for pair in pairs]
                us, out = best_us(ours, calls, args.repeat)
                proxy_us, proxy_out = best_us(proxy, calls, args.repeat)
                if closed and not form:  # the loop is slow: check each closed set once
                    expected = [naive(off, a, b) for a, b in pairs]  # type: ignore[operator]
                    assert out == proxy_out == expected, f"{what}, {label}: disagree"
                else:
                    assert out == proxy_out, f"{what}, {label}{form}: disagree with the proxy"
                if not closed:
                    none[what] = us
                print(
                    f"{what + ', ' + label + form:34}{us:>11.2f} us{proxy_us:>11.2f} us"
                    f"{us / proxy_us:>7.2f}x{us / none[what]:>8.2f}x"
                )
    print("ratio: this service / the table proxy; vs none: / this service without closed days")


if __name__ == "__main__":
    main()
