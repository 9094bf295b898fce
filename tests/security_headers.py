"""The security headers every answer carries (app/http_hygiene.py), written out
by hand from what each is for: no guessing of content types, no Referer sent
on, never framed. One copy, for the in-process and the over-the-wire tests."""

SECURITY_HEADERS = {
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "x-frame-options": "DENY",
}
