"""Prefect tasks: one logical step or side effect each, wrapping functions from ``rvg``."""
