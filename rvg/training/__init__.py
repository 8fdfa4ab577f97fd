"""The training year (phase 6): the programme rules, the dated schedule and its calendars."""
