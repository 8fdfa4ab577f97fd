"""Prefect flows: one module per phase of the cohort cycle, thin compositions of tasks."""
