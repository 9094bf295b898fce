"""The domain: plain Python, no HTTP, no database sessions."""
