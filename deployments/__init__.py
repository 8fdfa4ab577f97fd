"""Deployments: schedules, triggers and the serve entry point for the phase flows."""
