"""Children's social care practice standards and statutory timescales API."""

__version__ = "0.2.0"
