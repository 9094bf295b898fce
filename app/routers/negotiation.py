"""Content negotiation on the Accept header (RFC 9110 section 12.5.1).

python-mimeparse parses the media ranges and finds, for each representation
an operation has, the most specific range that matches it (`text/calendar`
before `text/*` before `*/*`) and so its q-value. The representation with
the highest q wins; equal q-values go to the operation's first (its default,
JSON where it has JSON), because the RFC leaves a tie to the server and
mimeparse's own best_match would break it by how specific the ranges were.
q=0 means "not acceptable". An Accept header that names none of them, or
only with q=0, is a 406 problem naming what is available; no Accept header
(or an empty one) accepts anything.

Only an operation with more than one representation negotiates (POST
/v1/deadlines: JSON or iCalendar). One with a single representation
disregards Accept, as RFC 9110 allows (app/routers/deadline_formats.py).
"""

from __future__ import annotations

from collections.abc import Sequence

import mimeparse

from app.errors import NotAcceptable

# A header longer than this is not a browser's or a client library's: its
# ranges past this many are not read (each one is matched against every
# representation, so the work stays bounded).
MAX_RANGES = 64


def negotiate(accept: str | None, available: Sequence[str]) -> str:
    """The representation to answer with, from `available` (default first)."""
    if accept is None or not accept.strip():
        return available[0]
    ranges = []
    for text in accept.lower().split(",")[:MAX_RANGES]:
        if not text.strip():
            continue
        try:
            ranges.append(mimeparse.parse_media_range(text))
        except ValueError:
            # A range that is not type/subtype (mimeparse's
            # MimeTypeParseException is a ValueError) says nothing: skipped,
            # as RFC 9110 lets a server ignore what it cannot read.
            continue
    if not ranges:
        return available[0]
    best, best_q = available[0], 0.0
    for media_type in available:
        q = mimeparse.quality_parsed(media_type, ranges)
        if q > best_q:  # strictly: a tie keeps the earlier (the default)
            best, best_q = media_type, q
    if best_q <= 0:
        raise NotAcceptable(
            f"The Accept header allows none of this operation's representations: "
            f"send Accept: {', '.join(available)} (or */*)."
        )
    return best
