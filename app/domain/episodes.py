"""Episodes: the spans of a case during which a rule applies.

The kinds are data (app/data/episodes.yaml, described in rules/README.md). An
episode runs from a start event to the first end event after it. Case systems
post partial histories, so an episode whose start is not posted is inferred
from the first event that can only happen inside it, and a looked-after
episode with no placement posted is taken to hold one.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from bisect import bisect_left
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from dateutil.relativedelta import relativedelta
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from app.datafiles import DATA_DIR, describe, load_yaml
from app.domain.cases import Case, Event
from app.domain.vocabulary import vocabulary

EPISODES_FILE = DATA_DIR / "episodes.yaml"

# -- the data file -----------------------------------------------------------------------------


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class EndIn(_Strict):
    event: str
    unless: dict[str, bool | str] = Field(default_factory=dict)


class KindIn(_Strict):
    kind: str = Field(pattern=r"^[a-z0-9_]+$")
    title: str
    starts: tuple[str, ...] = Field(min_length=1)
    ends: tuple[str | EndIn, ...] = ()
    implied_by: Literal["any"] | tuple[str, ...] = ()
    not_implied_by: tuple[str, ...] = ()
    not_inferred_during: tuple[str, ...] = ()
    opened_by: tuple[str, ...] = ()
    part_of: str | None = None
    assumed_when_none_posted: bool = False
    start_attributes: dict[str, str] = Field(default_factory=dict)
    until_age: int | None = Field(default=None, ge=1, le=30)


class EpisodesFile(_Strict):
    episodes: tuple[KindIn, ...] = Field(min_length=1)


class EpisodesDataError(Exception):
    """episodes.yaml is broken; the message names the file and the kind."""


@dataclass(frozen=True)
class EpisodeKind:
    """One kind of episode, as episodes.yaml defines it."""

    kind: str
    title: str
    starts: frozenset[str]
    ends: Mapping[str, Mapping[str, bool | str]]  # end event -> attributes that stop it ending
    implied_by: frozenset[str] | Literal["any"]
    not_implied_by: frozenset[str]
    not_inferred_during: tuple[str, ...]
    opened_by: frozenset[str]
    part_of: str | None
    assumed_when_none_posted: bool
    start_attributes: Mapping[str, str]
    until_age: int | None
    # Worked out once: the event types that start or end an episode of the
    # kind, and those with the ones that imply it.
    marks: frozenset[str] = field(init=False)
    relevant: frozenset[str] = field(init=False)
    # The events that start episodes inside this one (placements in a period
    # looked after), filled in once every kind is known.
    inner_starts: frozenset[str] = field(init=False, default=frozenset())

    def __post_init__(self) -> None:
        marks = self.starts | self.ends.keys()
        implied = self.implied_by if self.implied_by != "any" else frozenset()
        object.__setattr__(self, "marks", marks)
        object.__setattr__(self, "relevant", marks | implied)

    def implies(self, event_type: str) -> bool:
        if self.implied_by == "any":
            return event_type not in self.ends and event_type not in self.not_implied_by
        return event_type in self.implied_by

    def event_types(self) -> frozenset[str]:
        """Every event type that can open an episode of this kind (posted or inferred)."""
        implied = frozenset() if self.implied_by == "any" else self.implied_by
        return self.starts | implied


def load_kinds(
    path: Path = EPISODES_FILE, event_types: frozenset[str] | None = None
) -> dict[str, EpisodeKind]:
    raw: Any = load_yaml(path, EpisodesDataError)
    try:
        data = EpisodesFile.model_validate(raw)
    except ValidationError as exc:
        raise EpisodesDataError(describe(path, raw, exc, "episodes", "episode")) from exc
    kinds: dict[str, EpisodeKind] = {}
    for k in data.episodes:
        if k.kind in kinds:
            raise EpisodesDataError(f"{path.name}: episode {k.kind}: defined twice")
        ends = {
            (e if isinstance(e, str) else e.event): ({} if isinstance(e, str) else e.unless)
            for e in k.ends
        }
        kinds[k.kind] = EpisodeKind(
            kind=k.kind,
            title=k.title,
            starts=frozenset(k.starts),
            ends=ends,
            implied_by=k.implied_by if k.implied_by == "any" else frozenset(k.implied_by),
            not_implied_by=frozenset(k.not_implied_by),
            not_inferred_during=k.not_inferred_during,
            opened_by=frozenset(k.opened_by),
            part_of=k.part_of,
            assumed_when_none_posted=k.assumed_when_none_posted,
            start_attributes=k.start_attributes,
            until_age=k.until_age,
        )
    for kind in kinds.values():
        inner = frozenset(e for k in kinds.values() if k.part_of == kind.kind for e in k.starts)
        object.__setattr__(kind, "inner_starts", inner)
    for kind in kinds.values():
        named = [*kind.starts, *kind.ends, *kind.opened_by, *kind.not_implied_by]
        if kind.implied_by != "any":
            named += list(kind.implied_by)
        for event in named:
            if event_types is not None and event not in event_types:
                raise EpisodesDataError(
                    f"{path.name}: episode {kind.kind}: unknown event type {event!r}"
                )
        for other in [*kind.not_inferred_during, *([kind.part_of] if kind.part_of else [])]:
            if other not in kinds:
                raise EpisodesDataError(
                    f"{path.name}: episode {kind.kind}: unknown episode kind {other!r}"
                )
        if kind.assumed_when_none_posted and not kind.part_of:
            raise EpisodesDataError(
                f"{path.name}: episode {kind.kind}: assumed_when_none_posted needs part_of"
            )
    return kinds


@lru_cache(maxsize=1)
def episode_kinds() -> dict[str, EpisodeKind]:
    """The episode kinds, loaded and checked once per process."""
    return load_kinds(event_types=vocabulary().event_types)


# -- episodes of a case ------------------------------------------------------------------------


# Not frozen: a frozen dataclass costs five times as much to build, and a
# caseload builds hundreds of thousands. Treated as immutable all the same.
@dataclass(slots=True)
class Episode:
    kind: str
    start: Event  # the event that opened it, or that it was inferred from
    end_date: dt.date | None  # the day it ended, or will (a 25th birthday); None if open-ended
    end: Event | None  # the event that ended it, if one did
    # The start event was not posted: the episode is taken to have begun by
    # `start`, an event of another type (a review conference for a plan, or a
    # looked-after child's start for the placement they are taken to have).
    inferred: bool = False
    # It began before the posted history: its true start is earlier than `start`.
    began_before: bool = False
    placement_type: str | None = None
    # The end event lacked the attribute that says whether it ends the episode
    # (an s47_completed that does not say whether a conference is needed).
    end_unclear: str | None = None

    def contains(self, day: dt.date) -> bool:
        """Whether a day falls in the episode, its first and last days included."""
        return self.start.date <= day and (self.end_date is None or day <= self.end_date)

    def holds(self, event: Event) -> bool:
        """Whether an event belongs to the episode: on its days, and not the
        event that ended it (the next placement does not start a clock in
        the placement it replaced)."""
        if event.date < self.start.date:
            return False
        if self.end is not None:
            return (event.date, event.position) < (self.end.date, self.end.position)
        return self.end_date is None or event.date <= self.end_date


def _matches(event: Event, wanted: Mapping[str, Any]) -> bool:
    return all(event.attributes.get(k) == v for k, v in wanted.items())


def _end_of(kind: EpisodeKind, event: Event) -> tuple[bool, str | None]:
    """Whether the event ends an episode of the kind, and the attribute it lacked if unclear."""
    if event.type not in kind.ends:
        return False, None
    unless = kind.ends[event.type]
    if not unless:
        return True, None
    if _matches(event, unless):
        return False, None
    missing = next((k for k in unless if k not in event.attributes), None)
    return True, missing


def episodes_of(
    case: Case,
    kind_name: str,
    kinds: Mapping[str, EpisodeKind],
    cache: dict[str, list[Episode]] | None = None,
    ends_with: frozenset[str] | None = None,
) -> list[Episode]:
    """The case's episodes of one kind, in timeline order.

    cache: episodes already built for this case, by kind (an inference can
    depend on another kind's episodes). ends_with: other end events, for a
    rule that runs past the kind's own ends.
    """
    cache = {} if cache is None else cache
    key = kind_name if ends_with is None else f"{kind_name}|{','.join(sorted(ends_with))}"
    if key in cache:
        return cache[key]
    kind = kinds[kind_name]
    if ends_with is not None:
        kind = _with_ends(kind, ends_with)
    blocked = _Cover(
        [
            span
            for other in kind.not_inferred_during
            for span in episodes_of(case, other, kinds, cache)
        ]
    )
    spans: list[Episode] = []
    open_start: Event | None = None
    inferred = False
    seen = False  # a start or end of the kind has been posted
    starts, ends = kind.starts, kind.ends
    for event in _relevant(case, kind):
        if event.scheduled:
            continue
        event_type = event.type
        if open_start is not None and event_type in ends:
            closes, unclear = _end_of(kind, event)
            if closes:
                spans.append(_new_episode(kind, open_start, event.date, event, inferred, unclear))
                open_start = None
        if event_type in starts:
            seen = True
            if open_start is None and (
                not kind.start_attributes or _matches(event, kind.start_attributes)
            ):
                open_start, inferred = event, False
            continue
        if event_type in ends:
            seen = True
        elif (
            not seen
            and open_start is None
            and kind.implies(event_type)
            and not blocked.holds(event)
        ):
            open_start, inferred = event, True
    if open_start is not None:
        end_date = None
        if kind.until_age is not None and case.date_of_birth is not None:
            end_date = case.date_of_birth + relativedelta(years=kind.until_age)
        spans.append(_new_episode(kind, open_start, end_date, None, inferred, None))
    if kind.assumed_when_none_posted and kind.part_of is not None:
        spans = _with_assumed(kind, spans, episodes_of(case, kind.part_of, kinds, cache))
    cache[key] = spans
    return spans


_LAST = (dt.date.max, 1 << 62)  # after every event


class _Cover:
    """Whether one of some episodes holds an event (Episode.holds), asked of
    events in timeline order: linear in the events and episodes together,
    where asking each episode of each event was quadratic (a care leaver's
    contacts during hundreds of periods looked after)."""

    __slots__ = ("ends", "next", "spans")

    def __init__(self, spans: list[Episode]) -> None:
        self.spans = sorted(spans, key=lambda s: (s.start.date, s.start.position))
        self.next = 0  # the first episode not yet started
        self.ends = (dt.date.min, -1)  # the latest end of those started, as an event's key

    def holds(self, event: Event) -> bool:
        spans = self.spans
        # Bounded: each turn moves `next` on, over the whole list at most once.
        while self.next < len(spans) and spans[self.next].start.date <= event.date:
            self.ends = max(self.ends, _end_key(spans[self.next]))
            self.next += 1
        return (event.date, event.position) < self.ends


def _end_key(span: Episode) -> tuple[dt.date, int]:
    """The key of the first event the episode no longer holds (an event's key
    is its date, then position)."""
    if span.end is not None:
        return span.end.date, span.end.position
    if span.end_date is None:
        return _LAST
    return span.end_date, 1 << 62  # every event of its last day is held


def _relevant(case: Case, kind: EpisodeKind) -> list[Event] | tuple[Event, ...]:
    """The case's events that can open, close or imply an episode of the kind, in
    timeline order (all of them, for a kind any event implies)."""
    if kind.implied_by == "any":
        # Only events before the first start or end of the kind can imply it.
        marks = _of_types(case, kind.marks)
        first = marks[0].position if marks else len(case.events)
        return [*case.events[:first], *marks]
    return _of_types(case, kind.relevant)


def _of_types(case: Case, types: Iterable[str]) -> list[Event]:
    found = [e for t in types for e in case.by_type.get(t, ())]
    if len(found) > 1:
        found.sort(key=_position)
    return found


def _position(event: Event) -> int:
    return event.position


def _with_ends(kind: EpisodeKind, ends_with: frozenset[str]) -> EpisodeKind:
    other = dataclasses.replace(kind, ends={e: {} for e in ends_with})
    object.__setattr__(other, "inner_starts", kind.inner_starts)
    return other


def _new_episode(
    kind: EpisodeKind,
    start: Event,
    end_date: dt.date | None,
    end: Event | None,
    inferred: bool,
    unclear: str | None,
) -> Episode:
    placement_type = start.attributes.get("placement_type")
    return Episode(
        kind=kind.kind,
        start=start,
        end_date=end_date,
        end=end,
        inferred=inferred,
        began_before=inferred,
        placement_type=str(placement_type) if placement_type is not None else None,
        end_unclear=unclear,
    )


def held_by(parent: Episode, spans: list[Episode]) -> list[Episode]:
    """The episodes (in timeline order) whose start the parent holds: the
    placements of a period looked after.

    By bisection, not by asking each: this runs for each parent episode, and
    a case may have hundreds of parents and thousands of placements.
    `holds` bounds the day from below and the place in the timeline from
    above, so the episodes it holds are a run of the list, from the first
    that starts on or after the parent's first day.
    """
    lo = bisect_left(spans, parent.start.date, key=_start_date)
    hi = lo
    while hi < len(spans) and parent.holds(spans[hi].start):  # bounded: hi moves on
        hi += 1
    return spans[lo:hi]


def _start_date(span: Episode) -> dt.date:
    return span.start.date


def _with_assumed(kind: EpisodeKind, spans: list[Episode], parents: list[Episode]) -> list[Episode]:
    """A parent episode (looked after) with none of this kind (placement) posted
    inside it is taken to hold one from its start, of a type not known."""
    out = list(spans)
    for parent in parents:
        if held_by(parent, spans):
            continue
        out.append(
            Episode(
                kind=kind.kind,
                start=parent.start,
                end_date=parent.end_date,
                end=parent.end,
                inferred=True,
                began_before=parent.began_before,
                placement_type=None,
                end_unclear=parent.end_unclear,
            )
        )
    out.sort(key=lambda s: (s.start.date, s.start.position))
    return out
