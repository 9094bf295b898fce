"""Readers of the data councils already hold (the Standard Safeguarding Dataset, Ofsted's Annex A): pure Python, no HTTP."""
