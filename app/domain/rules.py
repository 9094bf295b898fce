"""Timescale rules: the data files under app/data/rules/, parsed and validated.

Rules are data (see app/data/rules/README.md for the file shape); this module
turns them into typed objects and refuses a file that is wrong: unknown event
types, requirement codes, units or episodes, a missing citation, a quote that
is not word for word in its source, a catalogue item that does not exist.
The message names the file and the rule, and the service does not start.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from app.catalogue.data import Catalogue, catalogue
from app.catalogue.verbatim import missing_lines, normalise, normalised_seed
from app.datafiles import describe

DATA_DIR = Path(__file__).resolve().parents[1] / "data"
RULES_DIR = DATA_DIR / "rules"
EVENTS_FILE = DATA_DIR / "events.yaml"
REQUIREMENTS_FILE = DATA_DIR / "requirements.yaml"
STATUTORY_SOURCES = DATA_DIR / "sources" / "statutory-sources.md"
BASELINE = "england"

Unit = Literal["working_days", "days", "weeks", "months", "hours", "years"]
Episode = Literal[
    "case_open",
    "assessment",
    "s47_enquiry",
    "cin_plan",
    "cp_plan",
    "looked_after",
    "placement",
    "care_leaver",
    "early_help",
    "private_fostering",
    "missing_episode",
    "adoption_placement",
]
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

    def describe(self) -> str:
        one, many = UNIT_WORDS[self.unit]
        return f"{self.amount} {one if self.amount == 1 else many}"


class Due(Offset):
    direction: Literal["after", "before"]


class Span(Offset):
    of: Literal["anchor"] = "anchor"


class Step(_Strict):
    """One step of a recurring schedule; the first step whose conditions hold is used."""

    every: Offset
    times: int | None = Field(default=None, gt=0)
    within: Span | None = None
    after_event: str | None = None


class Anchor(_Strict):
    event: str | None = None
    which: Literal["each", "first", "latest", "each_after_first"] | None = None
    birthday: int | None = Field(default=None, ge=0, le=25)

    @model_validator(mode="after")
    def _one_kind(self) -> Anchor:
        if (self.birthday is None) == (self.event is None):
            raise ValueError("an anchor has either an event (with which) or a birthday")
        if self.event is not None and self.which is None:
            raise ValueError("an event anchor needs which: each, first, latest or each_after_first")
        return self


class AppliesDuring(_Strict):
    episode: Episode
    placement_types: tuple[str, ...] | None = None
    # The requirement stops at this birthday ("every 2 months until they are
    # 20"): the episode is taken to end on it.
    until_birthday: int | None = Field(default=None, ge=1, le=25)


class Citation(_Strict):
    document: str = Field(min_length=1)
    section: str = Field(min_length=1)
    quote: str = Field(min_length=1)
    verification: Literal["V-P", "V-S", "U"] | None = None


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
    then: tuple[Step, ...] = ()
    citation: Citation
    interpretation: str | None = None
    catalogue_item: str | None = None

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
        if self.due.direction == "before" and self.then:
            raise ValueError("a 'before' rule cannot recur")
        return self

    @property
    def recurring(self) -> bool:
        return bool(self.then)


class RulesFile(_Strict):
    ruleset: str
    name: str
    rules: tuple[Rule, ...] = Field(min_length=1)


@dataclass(frozen=True)
class Vocabulary:
    event_types: frozenset[str]
    placement_types: frozenset[str]
    requirements: dict[str, dict[str, str]]


@dataclass(frozen=True)
class Rulebook:
    """Every ruleset, by id; `england` is the statutory baseline."""

    rulesets: dict[str, RulesFile]
    vocabulary: Vocabulary
    version: str

    def rules_for(self, ruleset: str) -> tuple[Rule, ...]:
        """The baseline rules, then the authority's own (if it has any)."""
        own = (
            self.rulesets[ruleset].rules if ruleset in self.rulesets and ruleset != BASELINE else ()
        )
        return self.rulesets[BASELINE].rules + own

    def all_rules(self) -> list[tuple[str, Rule]]:
        return [(name, r) for name, f in self.rulesets.items() for r in f.rules]


def load_vocabulary() -> Vocabulary:
    events = yaml.safe_load(EVENTS_FILE.read_text(encoding="utf-8"))
    requirements = yaml.safe_load(REQUIREMENTS_FILE.read_text(encoding="utf-8"))
    return Vocabulary(
        event_types=frozenset(e["type"] for e in events["event_types"]),
        placement_types=frozenset(events["placement_types"]),
        requirements={r["code"]: r for r in requirements["requirements"]},
    )


def load(directory: Path = RULES_DIR, cat: Catalogue | None = None) -> Rulebook:
    cat = cat or catalogue()
    vocabulary = load_vocabulary()
    statutory = normalise(STATUTORY_SOURCES.read_text(encoding="utf-8"))
    seeds: dict[str, str] = {}
    rulesets: dict[str, RulesFile] = {}
    digest = hashlib.sha256()
    for path in sorted(directory.glob("*.yaml")):
        digest.update(path.read_bytes())
        raw: Any = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
        try:
            data = RulesFile.model_validate(raw)
        except ValidationError as exc:
            raise RulesDataError(describe(path, raw, exc, "rules", "rule")) from exc
        if path.stem != data.ruleset:
            raise RulesDataError(f"{path.name}: ruleset {data.ruleset!r} must match the file name")
        if data.ruleset != BASELINE and data.ruleset not in cat.authorities:
            raise RulesDataError(
                f"{path.name}: ruleset {data.ruleset!r} is not a catalogued authority"
            )
        if data.ruleset == BASELINE:
            source = statutory
        else:
            seeds[data.ruleset] = _seed_text(cat, data.ruleset)
            source = seeds[data.ruleset]
        _check(path, data, vocabulary, cat, source)
        rulesets[data.ruleset] = data
    if BASELINE not in rulesets:
        raise RulesDataError(f"{directory}: the {BASELINE} baseline rules file is missing")
    return Rulebook(rulesets=rulesets, vocabulary=vocabulary, version=digest.hexdigest()[:16])


def _seed_text(cat: Catalogue, authority: str) -> str:
    """The authority's seed, normalised as the catalogue's verbatim check does."""
    document_id = next(d for d, a in cat.document_authority.items() if a == authority)
    seed = DATA_DIR / "seeds" / cat.documents[document_id].seed_file
    return normalised_seed(seed, cat.page_furniture[document_id])


def _check(
    path: Path, data: RulesFile, vocabulary: Vocabulary, cat: Catalogue, source: str
) -> None:
    def fail(rule: Rule, problem: str) -> RulesDataError:
        return RulesDataError(f"{path.name}: rule {rule.id}: {problem}")

    duplicates = [i for i, n in Counter(r.id for r in data.rules).items() if n > 1]
    if duplicates:
        raise RulesDataError(f"{path.name}: duplicate rule ids {duplicates}")
    for rule in data.rules:
        if not rule.id.startswith(data.ruleset + "."):
            raise fail(rule, f"id must start with '{data.ruleset}.'")
        if rule.requirement not in vocabulary.requirements:
            raise fail(rule, f"unknown requirement code {rule.requirement!r}")
        if (rule.basis == "statutory") != (data.ruleset == BASELINE):
            raise fail(
                rule, "statutory rules belong to the england baseline, local ones to an authority"
            )
        if rule.basis == "statutory" and rule.citation.verification is None:
            raise fail(rule, "a statutory citation needs its verification status (V-P, V-S or U)")
        missing = missing_lines(rule.citation.quote, source)
        if missing:
            raise fail(rule, f"quote not found word for word in its source: {missing[0]!r}")
        if rule.catalogue_item and rule.catalogue_item not in cat.items:
            raise fail(rule, f"catalogue item {rule.catalogue_item!r} does not exist")
        events = [*rule.satisfied_by]
        if rule.anchor and rule.anchor.event:
            events.append(rule.anchor.event)
        events += [s.after_event for s in rule.then if s.after_event]
        for event in events:
            if event not in vocabulary.event_types:
                raise fail(rule, f"unknown event type {event!r}")
        if rule.applies_during and rule.applies_during.placement_types:
            if rule.applies_during.episode != "placement":
                raise fail(rule, "placement_types apply only to the placement episode")
            for placement_type in rule.applies_during.placement_types:
                if placement_type not in vocabulary.placement_types:
                    raise fail(rule, f"unknown placement type {placement_type!r}")


@lru_cache(maxsize=1)
def rulebook() -> Rulebook:
    """The rules, loaded and validated once per process."""
    return load()
