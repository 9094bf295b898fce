"""Readers of the data councils already hold: the Standard Safeguarding Dataset
and Ofsted's Annex A. Pure Python, no HTTP."""
