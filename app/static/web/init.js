// Starts GOV.UK Frontend's components on the service's pages (app/web/).
// A file of its own rather than an inline script, so that the pages' CSP can
// be script-src 'self' with no hash or nonce. The pages work without it:
// it only enhances (skip link focus, details, error summary focus).
import { initAll } from "./govuk-frontend/govuk-frontend.min.js";

document.body.classList.add("js-enabled", "govuk-frontend-supported");
initAll();
