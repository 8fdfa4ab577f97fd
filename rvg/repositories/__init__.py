"""Data-access functions. Each takes the session as keyword-only ``session`` and never commits."""
