"""Procurement of the two lots: configuration and the pure planning rules."""
