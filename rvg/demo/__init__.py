"""Fictitious but realistic data for the demo and simulations. Never real people."""
