"""Ruimte voor Groei: the domain of the cohort cycle, free of any orchestration framework."""

__version__ = "0.1.0"
