"""The service's own web pages, for the people behind the systems: server-rendered
HTML on the GOV.UK Design System (govuk-frontend, vendored in app/static/web/).

* app/web/templating.py: the Jinja2 environment (autoescaped), the pages' CSP and
  the helper every page renders through; app/web/assets.py serves the vendored
  files under /assets/.
* app/web/pages.py: the router with every page; the catalogue pages (search, a
  standard, a document, a theme, a requirement) and /accessibility.

The pages call what the API's routers call (the catalogue store, the rulebook):
none computes a date itself. They work without JavaScript; app/static/web/init.js
only starts GOV.UK Frontend's enhancements. Case data entered on a page is never
stored or logged, like the API's.
"""
