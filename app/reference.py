"""The reference data, loaded and cross-checked: bank holidays, catalogue, rules.

Each loader checks its own files (app/calendars/bank_holidays.py,
app/catalogue/data.py, app/domain/rules.py). What one kind of data says
about another is checked here, in the one module above them all, so that
neither the domain nor the catalogue imports the other:

- a local ruleset is a catalogued authority;
- each rule's quote is word for word in its source: the statutory sources for
  the england baseline, the authority's seed (less its page furniture, as the
  catalogue's own verbatim check reads it) for a local ruleset;
- a rule's catalogue item exists.

A broken file stops start-up (create_app calls `reference_data()`) with a
message that names the file and the rule or item.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from app.calendars import BankHolidayData, bank_holiday_data
from app.calendars.bank_holidays import load as load_bank_holidays
from app.catalogue.data import SEEDS_DIR, Catalogue, catalogue
from app.catalogue.data import load as load_catalogue
from app.catalogue.verbatim import missing_lines, normalise, normalised_seed
from app.datafiles import DATA_DIR
from app.domain.episodes import EpisodeKind, episode_kinds, load_kinds
from app.domain.rules import BASELINE, RULES_DIR, Rulebook, RulesDataError, RulesFile
from app.domain.rules import load as load_rulebook
from app.domain.vocabulary import Vocabulary, load_vocabulary

STATUTORY_SOURCES = DATA_DIR / "sources" / "statutory-sources.md"


@dataclass(frozen=True)
class ReferenceData:
    """Every reference-data set the service answers from."""

    bank_holidays: BankHolidayData
    catalogue: Catalogue
    rulebook: Rulebook
    # Where the rules were read from: their worked examples are in examples/
    # beside them (the conformance vectors of an app on other data are its own).
    rules_dir: Path = RULES_DIR


def load_rules(
    directory: Path = RULES_DIR,
    cat: Catalogue | None = None,
    vocab: Vocabulary | None = None,
    kinds: dict[str, EpisodeKind] | None = None,
    seeds: Path = SEEDS_DIR,
    statutory_sources: Path = STATUTORY_SOURCES,
) -> Rulebook:
    """The rules of `directory`, checked on their own and against `cat` (by
    default the catalogue) and their sources (the seeds in `seeds`, the
    statutory wording in `statutory_sources`)."""
    cat = cat or catalogue()
    statutory = normalise(statutory_sources.read_text(encoding="utf-8"))

    def check(path: Path, data: RulesFile) -> None:
        if data.ruleset != BASELINE and data.ruleset not in cat.authorities:
            raise RulesDataError(
                f"{path.name}: ruleset {data.ruleset!r} is not a catalogued authority"
            )
        source = statutory if data.ruleset == BASELINE else _seed_text(cat, seeds, data.ruleset)
        if data.in_force is not None and missing_lines(data.in_force.quote, source):
            raise RulesDataError(
                f"{path.name}: in_force: quote not found word for word in its source: "
                f"{data.in_force.quote!r}"
            )
        for rule in data.rules:
            missing = missing_lines(rule.citation.quote, source)
            if missing:
                raise RulesDataError(
                    f"{path.name}: rule {rule.id}: "
                    f"quote not found word for word in its source: {missing[0]!r}"
                )
            if rule.catalogue_item and rule.catalogue_item not in cat.items:
                raise RulesDataError(
                    f"{path.name}: rule {rule.id}: "
                    f"catalogue item {rule.catalogue_item!r} does not exist"
                )

    return load_rulebook(directory, vocab, kinds, check)


def _seed_text(cat: Catalogue, seeds: Path, authority: str) -> str:
    """The authority's seed, normalised as the catalogue's verbatim check does."""
    document_id = next(d for d, a in cat.document_authority.items() if a == authority)
    seed = seeds / cat.documents[document_id].seed_file
    return normalised_seed(seed, cat.page_furniture[document_id])


@lru_cache(maxsize=1)
def rulebook() -> Rulebook:
    """The rules, loaded and cross-checked once per process."""
    return load_rules(kinds=episode_kinds())


def reference_data() -> ReferenceData:
    """All the bundled reference data, loaded and checked (each set once per process)."""
    return ReferenceData(bank_holiday_data(), catalogue(), rulebook())


def load_reference(root: Path) -> ReferenceData:
    """The reference data of a directory laid out as app/data is (catalogue/,
    seeds/, rules/, sources/statutory-sources.md, themes.yaml, events.yaml,
    requirements.yaml, episodes.yaml and the GOV.UK bank-holiday files),
    loaded and cross-checked as the bundled data is: for an app built on other
    data, `create_app(data=load_reference(path))`. Not cached: each call
    reads the files again."""
    seeds = root / "seeds"
    cat = load_catalogue(root / "catalogue", root / "themes.yaml", seeds)
    vocab = load_vocabulary(root / "events.yaml", root / "requirements.yaml")
    kinds = load_kinds(root / "episodes.yaml", event_types=vocab.event_types)
    book = load_rules(
        root / "rules",
        cat,
        vocab,
        kinds,
        seeds=seeds,
        statutory_sources=root / "sources" / "statutory-sources.md",
    )
    holidays = load_bank_holidays(
        root / "uk-bank-holidays.json", root / "uk-bank-holidays.meta.json"
    )
    return ReferenceData(holidays, cat, book, root / "rules")
