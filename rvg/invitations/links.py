"""The links in invitations: one home for the web app's token routes and the URLs built on them.

The web app mounts its forms on these paths and the demo reads links back from its mailbox.
An e-mail with a link carries only the invitation's id in its outbox context (``LINK_KEY``);
the dispatcher makes the link's token when it sends the e-mail and gives the template the URL
as ``secret_link`` (``LINK_VALUE``), in memory only: no token is written to the database.
"""

from __future__ import annotations

SIGNUP_ROUTE = "aanmelden"  # an organisation's sign-up form, /aanmelden/<token>
SURVEY_ROUTE = "enquete"  # a respondent's survey form, /enquete/<token>
PROFILE_ROUTE = "informatiepagina"  # an organisation's information page, /informatiepagina/<token>
INTEREST_ROUTE = "vragenuur"  # a Q&A registration: confirm or unsubscribe, /vragenuur/<token>


# by the invitation's purpose
ROUTES = {
    "signup": SIGNUP_ROUTE,
    "survey": SURVEY_ROUTE,
    "profile": PROFILE_ROUTE,
    "interest": INTEREST_ROUTE,
}
LINK_KEY = "link_invitation"  # in an outbox context: the invitation the e-mail links to
LINK_VALUE = "secret_link"  # in a template: the URL, made when the e-mail is sent
PREVIEW_URL = "https://voorbeeld.invalid/link"  # what a template check renders instead


def form_link(base_url: str, purpose: str, token: str) -> str:
    return f"{base_url.rstrip('/')}/{ROUTES[purpose]}/{token}"


def link_context(invitation_id: int) -> dict[str, int]:
    """The outbox context's part for an e-mail that links to an invitation's form."""
    return {LINK_KEY: invitation_id}


def with_link(context: dict[str, object], url: str = PREVIEW_URL) -> dict[str, object]:
    """``context`` with the link's URL for the template, when it links to a form."""
    return context | {LINK_VALUE: url} if LINK_KEY in context else context
