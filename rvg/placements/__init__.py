"""Placements: a participant at an organisation for the training year."""
