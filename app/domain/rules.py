"""Timescale rules: the data files under app/data/rules/, parsed and validated.

Rules are data (see app/data/rules/README.md for the file shape); this module
turns them into typed objects and refuses a file that is wrong: unknown event
types, requirement codes, units or episodes, a missing citation, a number that
its quote does not say. The message names the file and the rule, and the
service does not start. What a rule says about other data (its quote word for
word in its source, its catalogue item, its ruleset a catalogued authority) is
checked by app/reference.py, the layer above both rules and catalogue, through
the `check` that `load` is given.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from app.datafiles import DATA_DIR, describe, load_yaml
from app.domain.episodes import EpisodeKind, load_kinds
from app.domain.vocabulary import Vocabulary, vocabulary

RULES_DIR = DATA_DIR / "rules"
BASELINE = "england"

Unit = Literal["working_days", "days", "weeks", "months", "hours", "years"]
UNIT_WORDS = {
    "working_days": ("working day", "working days"),
    "days": ("day", "days"),
    "weeks": ("week", "weeks"),
    "months": ("month", "months"),
    "hours": ("hour", "hours"),
    "years": ("year", "years"),
}


class RulesDataError(Exception):
    """A rules file is broken; the message names the file and the rule."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Offset(_Strict):
    amount: int = Field(gt=0, le=1000)
    unit: Unit


class Due(Offset):
    # 0: "on the day of" the anchor (a child seen the day they are placed).
    amount: int = Field(ge=0, le=1000)
    direction: Literal["after", "before"]
    # "By the end of the assessment": due the day this event happens after the
    # anchor (the nth one); until it has, the anchor plus amount and unit.
    by_event: str | None = None
    nth: int = Field(default=1, ge=1, le=10)


class Span(Offset):
    of: Literal["anchor"] = "anchor"


class Step(_Strict):
    """One step of a recurring schedule; the first step whose conditions hold is used."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    every: Offset
    # Counted from the previous satisfying event, or from the rule's anchor
    # ("again within 1 week of the move").
    from_: Literal["previous", "anchor"] = Field(default="previous", alias="from")
    times: int | None = Field(default=None, gt=0)
    within: Span | None = None
    after_event: str | None = None
    # ... since the latest of these events (a long-term match ended by a move).
    after_event_reset_by: tuple[str, ...] = ()
    until_event: str | None = None


class EligibleChild(_Strict):
    """CPPCR reg 40: aged from_age to until_age, looked after, and looked after
    for looked_after_weeks in all since since_age."""

    from_age: int = Field(ge=1, le=25)
    until_age: int = Field(ge=1, le=25)
    since_age: int = Field(ge=0, le=25)
    looked_after_weeks: int = Field(ge=1, le=520)


class Anchor(_Strict):
    event: str | None = None
    which: Literal["each", "first", "latest", "each_after_first", "opening"] | None = None
    birthday: int | None = Field(default=None, ge=0, le=25)
    episode_start: bool = False
    eligible_child: EligibleChild | None = None
    # Only anchor events with these attribute values start the clock.
    attributes: dict[str, bool | str] = Field(default_factory=dict)
    # With no anchor event in the episode, the episode's start stands in.
    otherwise: Literal["episode_start"] | None = None
    # The first deadline counts from the last satisfying event on or before the
    # anchor, when there is one.
    from_last_satisfied: bool = False

    @model_validator(mode="after")
    def _one_kind(self) -> Anchor:
        kinds = [
            self.event is not None,
            self.birthday is not None,
            self.episode_start,
            self.eligible_child is not None,
        ]
        if sum(kinds) != 1:
            raise ValueError(
                "an anchor is exactly one of: an event (with which), a birthday, "
                "episode_start or eligible_child"
            )
        if (self.event is None) != (self.which is None):
            raise ValueError("an event anchor needs which, and only an event anchor has one")
        if (self.attributes or self.otherwise) and self.event is None:
            raise ValueError("attributes and otherwise belong to an event anchor")
        return self


class AppliesDuring(_Strict):
    episode: str
    placement_types: tuple[str, ...] | None = None
    # Applies to a placement whose type is not known.
    placement_type_unknown: bool = False
    # The requirement stops at this birthday ("every 2 months until they are
    # 20"): the episode is taken to end on it.
    until_birthday: int | None = Field(default=None, ge=1, le=25)
    # Other end events for this rule's episode (an s47 completion is judged
    # even when it comes after the conference that ended the enquiry).
    ends_with: tuple[str, ...] | None = None
    # Not for a looked-after episode whose every placement is one of these.
    unless_all_placements_are: tuple[str, ...] | None = None


class Citation(_Strict):
    document: str = Field(min_length=1)
    section: str = Field(min_length=1)
    quote: str = Field(min_length=1)
    verification: Literal["V-P", "V-S", "U"] | None = None


class RuleVersion(_Strict):
    """A later text of a rule whose numbers it does not change, or whose new
    numbers could not be read: from `valid_from` (until the next version or
    the rule's valid_to) its deadlines carry `verification` and, when that is
    U, the `note` as a warning. A change of numbers read in its source is a
    rule of its own (valid_to on one, valid_from on the other)."""

    valid_from: dt.date
    label: str = Field(min_length=1)  # "as amended by SI 2015/495"
    verification: Literal["V-P", "V-S", "U"]
    note: str = Field(min_length=1)  # what changed, what is known of it, and why it is counted so


class Rule(_Strict):
    id: str = Field(pattern=r"^[a-z0-9-]+\.[a-z0-9_]+(\.[a-z0-9_]+)?$")
    requirement: str
    title: str = Field(min_length=1)
    basis: Literal["statutory", "local"]
    subject: Literal["child", "practitioner", "organisation"]
    computable: bool = True
    not_computable_reason: str | None = None
    applies_during: AppliesDuring | None = None
    anchor: Anchor | None = None
    due: Due | None = None
    satisfied_by: tuple[str, ...] = ()
    # Count satisfying events from the n-th in the episode: 2 when the first
    # one meets another requirement (an initial review is not the second).
    satisfied_from_nth: int = Field(default=1, ge=1, le=10)
    # "Before the placement or within 5 working days": an event after the
    # previous anchor of the kind but before this one also meets the first
    # deadline (a plan written ahead of a planned placement).
    met_before_anchor: bool = False
    # One satisfying event meets every earlier anchor's deadline still open
    # (a case note that records two visits).
    shared_satisfier: bool = False
    then: tuple[Step, ...] = ()
    citation: Citation
    interpretation: str | None = None
    catalogue_item: str | None = None
    # In force from and until these days (None: from before, or until after,
    # the supported range). A deadline is set by the rule only when the day
    # it is counted from is in force; a local ruleset's rules are in force
    # from its document's date (RulesFile.in_force, folded in by `load`).
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None
    version_label: str = "as cited"  # the text the citation quotes, until a later version
    versions: tuple[RuleVersion, ...] = ()
    # The rule this one replaces when a change of numbers was read in its source:
    # that one ends (valid_to) the day before this one begins (valid_from).
    supersedes: str | None = None

    @model_validator(mode="after")
    def _complete(self) -> Rule:
        if not self.computable:
            if not self.not_computable_reason:
                raise ValueError("a rule that is not computable needs not_computable_reason")
            return self
        if self.subject != "child":
            raise ValueError("only rules about a child can be computed from case events")
        if self.anchor is None or self.due is None or not self.satisfied_by:
            raise ValueError("a computable rule needs anchor, due and satisfied_by")
        if self.due.direction == "before" and (self.then or self.due.by_event):
            raise ValueError("a 'before' rule cannot recur or be due by an event")
        if self.due.unit == "hours" and self.due.amount == 0:
            raise ValueError("an offset of 0 is a number of days (on the day), not of hours")
        if self.anchor.episode_start and self.applies_during is None:
            raise ValueError("an episode_start anchor needs applies_during")
        return self

    @model_validator(mode="after")
    def _versions_in_order(self) -> Rule:
        if self.valid_from and self.valid_to and self.valid_to < self.valid_from:
            raise ValueError(f"valid_to {self.valid_to} is before valid_from {self.valid_from}")
        starts = [v.valid_from for v in self.versions]
        if starts != sorted(set(starts)):
            raise ValueError("versions must be in order of valid_from, one a day at most")
        for start in starts:
            # Each version runs from its day to the next one's (or valid_to):
            # versions in order can neither overlap nor leave a gap, but one
            # outside the rule's own span would never apply.
            if (self.valid_from and start <= self.valid_from) or (
                self.valid_to and start > self.valid_to
            ):
                raise ValueError(
                    f"version from {start} is outside the rule's span "
                    f"({self.valid_from or 'the start'} to {self.valid_to or 'the end'})"
                )
        return self

    def version_on(self, day: dt.date) -> RuleVersion | None:
        """The later version in force on `day`, or None for the rule as cited."""
        found = None
        for version in self.versions:
            if version.valid_from > day:
                break
            found = version
        return found

    def version_span(self, version: RuleVersion | None) -> tuple[dt.date | None, dt.date | None]:
        """The days a version (None: the rule as cited) is in force: to the day
        before the next version, or the rule's valid_to."""
        starts = [v.valid_from for v in self.versions]
        k = 0 if version is None else starts.index(version.valid_from) + 1
        begins = self.valid_from if version is None else version.valid_from
        ends = starts[k] - dt.timedelta(days=1) if k < len(starts) else self.valid_to
        return begins, ends

    def offsets(self) -> list[Offset]:
        """Every number of the rule: its due offset, its steps and their spans."""
        found: list[Offset] = [self.due] if self.due else []
        for step in self.then:
            found.append(step.every)
            if step.within:
                found.append(step.within)
        return found


class InForce(_Strict):
    """When a council's document took effect: its own words for its date, and
    how a date of a month alone is read."""

    from_: dt.date = Field(alias="from")
    quote: str = Field(min_length=1)  # word for word in the document
    interpretation: str = Field(min_length=1)
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class RulesFile(_Strict):
    ruleset: str
    name: str
    # A council's ruleset: in force from its document's date (before it, only
    # the statutory rules apply). The baseline dates its rules one by one.
    in_force: InForce | None = None
    rules: tuple[Rule, ...] = Field(min_length=1)

    def dated(self) -> RulesFile:
        """The file with its in_force date folded into each rule's valid_from."""
        if self.in_force is None:
            return self
        start = self.in_force.from_
        rules = tuple(
            r
            if r.valid_from is not None and r.valid_from >= start
            else r.model_copy(update={"valid_from": start})
            for r in self.rules
        )
        return self.model_copy(update={"rules": rules})


@dataclass(frozen=True)
class Rulebook:
    """Every ruleset, by id; `england` is the statutory baseline."""

    rulesets: dict[str, RulesFile]
    vocabulary: Vocabulary
    episodes: dict[str, EpisodeKind]
    version: str

    def rules_for(self, ruleset: str) -> tuple[Rule, ...]:
        """The baseline rules, then the authority's own (if it has any)."""
        own = (
            self.rulesets[ruleset].rules if ruleset in self.rulesets and ruleset != BASELINE else ()
        )
        return self.rulesets[BASELINE].rules + own

    def all_rules(self) -> list[tuple[str, Rule]]:
        return [(name, r) for name, f in self.rulesets.items() for r in f.rules]

    @property
    def rule_ids(self) -> frozenset[str]:
        return frozenset(r.id for _, r in self.all_rules())


# Checks a parsed rules file against data outside the domain (its sources, the
# catalogue); raises RulesDataError naming the file and the rule.
FileCheck = Callable[[Path, RulesFile], None]


def load(
    directory: Path = RULES_DIR,
    vocab: Vocabulary | None = None,
    kinds: dict[str, EpisodeKind] | None = None,
    check: FileCheck | None = None,
) -> Rulebook:
    """The rules files of `directory`, parsed and checked; `check` (see
    app/reference.py) is run on each file after its name is checked and
    before its rules are."""
    vocab = vocab or vocabulary()
    kinds = kinds if kinds is not None else load_kinds(event_types=vocab.event_types)
    rulesets: dict[str, RulesFile] = {}
    digest = hashlib.sha256()
    for path in sorted(directory.glob("*.yaml")):
        digest.update(path.read_bytes())
        raw: Any = load_yaml(path, RulesDataError)
        try:
            data = RulesFile.model_validate(raw)
        except ValidationError as exc:
            raise RulesDataError(describe(path, raw, exc, "rules", "rule")) from exc
        if path.stem != data.ruleset:
            raise RulesDataError(f"{path.name}: ruleset {data.ruleset!r} must match the file name")
        if (data.in_force is None) != (data.ruleset == BASELINE):
            raise RulesDataError(
                f"{path.name}: a council's ruleset needs in_force (its document's date, in its "
                f"own words); the {BASELINE} baseline dates its rules one by one"
            )
        if check is not None:
            check(path, data)
        _check(path, data, vocab, kinds)
        rulesets[data.ruleset] = data.dated()
    if BASELINE not in rulesets:
        raise RulesDataError(f"{directory}: the {BASELINE} baseline rules file is missing")
    return Rulebook(
        rulesets=rulesets, vocabulary=vocab, episodes=kinds, version=digest.hexdigest()[:16]
    )


def _check(
    path: Path,
    data: RulesFile,
    vocab: Vocabulary,
    kinds: dict[str, EpisodeKind],
) -> None:
    def fail(rule: Rule, problem: str) -> RulesDataError:
        return RulesDataError(f"{path.name}: rule {rule.id}: {problem}")

    duplicates = [i for i, n in Counter(r.id for r in data.rules).items() if n > 1]
    if duplicates:
        raise RulesDataError(f"{path.name}: duplicate rule ids {duplicates}")
    _check_succession(data, fail)
    for rule in data.rules:
        if not rule.id.startswith(data.ruleset + "."):
            raise fail(rule, f"id must start with '{data.ruleset}.'")
        if rule.requirement not in vocab.requirements:
            raise fail(rule, f"unknown requirement code {rule.requirement!r}")
        if (rule.basis == "statutory") != (data.ruleset == BASELINE):
            raise fail(
                rule, "statutory rules belong to the england baseline, local ones to an authority"
            )
        if data.in_force and rule.valid_to and rule.valid_to < data.in_force.from_:
            raise fail(rule, f"valid_to {rule.valid_to} is before the ruleset is in force")
        if data.in_force and any(v.valid_from <= data.in_force.from_ for v in rule.versions):
            # (The file's date becomes the rule's valid_from once checked: such a
            # version would never apply.)
            raise fail(rule, "a version from before the ruleset is in force would never apply")
        if rule.basis == "statutory" and rule.citation.verification is None:
            raise fail(rule, "a statutory citation needs its verification status (V-P, V-S or U)")
        for event in _events_named(rule):
            if event not in vocab.event_types:
                raise fail(rule, f"unknown event type {event!r}")
        problem = _check_episode(rule, vocab, kinds) or _unexplained_number(rule)
        if problem:
            raise fail(rule, problem)


def _check_succession(data: RulesFile, fail: Callable[[Rule, str], RulesDataError]) -> None:
    """A rule that supersedes another takes over the day after it ends, for the
    same requirement: no day under both (overlap) and none under neither (gap)."""
    by_id = {r.id: r for r in data.rules}
    taken: dict[str, str] = {}
    for rule in data.rules:
        if rule.supersedes is None:
            continue
        old = by_id.get(rule.supersedes)
        if old is None:
            raise fail(rule, f"supersedes {rule.supersedes!r}, which is not in this file")
        if rule.supersedes in taken:
            raise fail(rule, f"{rule.supersedes} is already superseded by {taken[rule.supersedes]}")
        taken[rule.supersedes] = rule.id
        if old.requirement != rule.requirement or old.basis != rule.basis:
            raise fail(rule, f"supersedes {old.id}, a rule of another requirement or basis")
        if old.valid_to is None or rule.valid_from is None:
            raise fail(rule, f"supersedes {old.id}: it needs valid_from, and {old.id} valid_to")
        day_after = old.valid_to + dt.timedelta(days=1)
        if rule.valid_from < day_after:
            raise fail(rule, f"overlaps {old.id}: both in force from {rule.valid_from}")
        if rule.valid_from > day_after:
            raise fail(
                rule,
                f"leaves a gap after {old.id}: neither in force from {day_after} "
                f"to {rule.valid_from - dt.timedelta(days=1)}",
            )


def _events_named(rule: Rule) -> list[str]:
    events = [*rule.satisfied_by]
    if rule.anchor and rule.anchor.event:
        events.append(rule.anchor.event)
    if rule.due and rule.due.by_event:
        events.append(rule.due.by_event)
    for step in rule.then:
        events += [e for e in (step.after_event, step.until_event) if e]
        events += step.after_event_reset_by
    if rule.applies_during and rule.applies_during.ends_with:
        events += rule.applies_during.ends_with
    return events


def _check_episode(rule: Rule, vocab: Vocabulary, kinds: dict[str, EpisodeKind]) -> str | None:
    during = rule.applies_during
    if during is None:
        return None
    if during.episode not in kinds:
        return f"unknown episode {during.episode!r}"
    kind = kinds[during.episode]
    if (during.placement_types or during.placement_type_unknown) and kind.part_of is None:
        return "placement_types and placement_type_unknown apply only to placement episodes"
    for placement_type in [
        *(during.placement_types or ()),
        *(during.unless_all_placements_are or ()),
    ]:
        if placement_type not in vocab.placement_types:
            return f"unknown placement type {placement_type!r}"
    if during.unless_all_placements_are and not any(
        k.part_of == during.episode for k in kinds.values()
    ):
        return "unless_all_placements_are applies only to an episode that holds placements"
    anchor = rule.anchor
    if anchor and anchor.which == "opening" and anchor.event not in kind.opened_by | kind.starts:
        return (
            f"which: opening needs an event that opens a {during.episode} episode "
            f"({', '.join(sorted(kind.opened_by | kind.starts))}), not {anchor.event!r}"
        )
    return None


# -- numbers ---------------------------------------------------------------------------------

_NUMBER_WORDS = {
    0: ["0"],
    1: ["1", "one", "a", "an", "first", "each", "every"],
    2: ["2", "two", "second"],
    3: ["3", "three", "third"],
    4: ["4", "four", "fourth"],
    5: ["5", "five"],
    6: ["6", "six"],
    7: ["7", "seven"],
    8: ["8", "eight"],
    9: ["9", "nine"],
    10: ["10", "ten"],
    11: ["11", "eleven"],
    12: ["12", "twelve"],
    13: ["13", "thirteen"],
    14: ["14", "fourteen"],
    15: ["15", "fifteen"],
    20: ["20", "twenty"],
    24: ["24", "twenty-four"],
    25: ["25", "twenty-five"],
    28: ["28", "twenty-eight"],
    30: ["30", "thirty"],
    40: ["40", "forty"],
    45: ["45", "forty-five"],
}
_UNIT_FORMS = {
    "working_days": r"working[\s-]*days?|WD",
    "days": r"(?:calendar\s+|working\s+)?days?",
    "weeks": r"weeks?|[\s-]?weekly",
    "months": r"months?|[\s-]?monthly|m\b",
    "hours": r"hours?",
    "years": r"years?|[\s-]?yearly",
}
# Words that carry their own number.
_ALONE = {
    ("weeks", 1): r"\bweekly\b",
    ("weeks", 2): r"\bfortnight(?:ly)?\b",
    ("months", 1): r"\bmonthly\b",
    ("years", 1): r"\b(?:annual(?:ly)?|yearly)\b",
    ("months", 12): r"\b(?:annual(?:ly)?|yearly|a year)\b",
    ("days", 0): r"\b(?:on\s+the\s+day|same\s+day|the\s+day)\b",
}


def _says(text: str, offset: Offset) -> bool:
    alone = _ALONE.get((offset.unit, offset.amount))
    if alone and re.search(alone, text, re.IGNORECASE):
        return True
    words = _NUMBER_WORDS.get(offset.amount, [str(offset.amount)])
    number = "|".join(re.escape(w) for w in words)
    unit = _UNIT_FORMS[offset.unit]
    pattern = rf"(?<![\w-])(?:{number})(?:\s+|-)?(?:{unit})"
    return re.search(pattern, text, re.IGNORECASE) is not None


def _unexplained_number(rule: Rule) -> str | None:
    """Every amount and unit of a rule is in its quote or explained in its interpretation."""
    for offset in rule.offsets():
        if not (_says(rule.citation.quote, offset) or _says(rule.interpretation or "", offset)):
            return (
                f"{offset.amount} {offset.unit} appears neither in the quote nor in the "
                "interpretation: quote the words it comes from or explain it"
            )
    return None
