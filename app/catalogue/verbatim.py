"""What "verbatim" means for catalogue text and rule citations.

The seed documents are plain-text conversions of council PDFs: tables came
through as HTML fragments, emphasis as markdown asterisks, bullets as glyphs,
and some pages carry running headers glued onto the end of a sentence. None of
that is the council's wording. Text in the catalogue (and every quote in a
rule's citation) must be the council's words exactly, so the check is:

    normalise(line) in normalise(seed with its page furniture removed)

for every line of the item's text, where `normalise` only undoes conversion
artefacts (HTML entities and tags, markdown emphasis, bullet glyphs) and
collapses whitespace. It never touches letters, digits or punctuation, so a
reworded, re-punctuated or re-spelt text fails.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from pathlib import Path

# Footnote markers are furniture, not wording.
_FOOTNOTE = re.compile(r"<sup>.*?</sup>", re.IGNORECASE | re.DOTALL)
# Inline emphasis (HTML or markdown) sits inside a sentence, often right
# against punctuation ("**20 working days**."), so it is removed without a
# trace; block tags and list glyphs separate words, so they become a space.
_INLINE = re.compile(r"</?(?:b|i|u|em|strong|span|a)(?:\s[^>]*)?>|\*+", re.IGNORECASE)
_BLOCK = re.compile(r"<[^>]+>|^#+\s|[•▪✓]", re.MULTILINE)
_SPACE = re.compile(r"\s+")


def normalise(text: str) -> str:
    """Undo conversion artefacts and collapse whitespace (see module docstring)."""
    text = _FOOTNOTE.sub("", text)
    text = _INLINE.sub("", text)
    text = _BLOCK.sub(" ", text)
    text = html.unescape(text)
    # Typographic quotes are kept distinct from ASCII ones on purpose: the
    # seeds use both and the catalogue must copy whichever the seed has.
    return _SPACE.sub(" ", text).strip()


def strip_furniture(text: str, furniture: Iterable[str]) -> str:
    """Remove page furniture given as regular expressions (multiline mode)."""
    for pattern in furniture:
        text = re.sub(pattern, " ", text, flags=re.MULTILINE)
    return text


def normalised_seed(path: Path, furniture: Iterable[str] = ()) -> str:
    return normalise(strip_furniture(path.read_text(encoding="utf-8"), furniture))


def missing_lines(text: str, seed: str) -> list[str]:
    """Lines of `text` that do not occur in the normalised `seed`."""
    return [
        line for line in (normalise(raw) for raw in text.splitlines()) if line and line not in seed
    ]
