"""The links in invitations: one home for the web app's token routes and the URLs built on them.

The web app mounts its forms on these paths, the outbox contexts carry links built here, and
the demo reads them back from its mailbox.
"""

from __future__ import annotations

SIGNUP_ROUTE = "aanmelden"  # an organisation's sign-up form, /aanmelden/<token>
SURVEY_ROUTE = "enquete"  # a respondent's survey form, /enquete/<token>


def signup_link(base_url: str, token: str) -> str:
    return f"{base_url.rstrip('/')}/{SIGNUP_ROUTE}/{token}"


def survey_link(base_url: str, token: str) -> str:
    return f"{base_url.rstrip('/')}/{SURVEY_ROUTE}/{token}"
