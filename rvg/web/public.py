"""The public pages, without a token: the landing page for candidates (``/kandidaten``), each
organisation's published information page (``/kandidaten/<cohort>/<organisation>``) and the
page for organisations (``/organisaties``).

They hold no personal data, so they may be cached: each carries an ETag (the hash of the
page) and ``Cache-Control: public, max-age=300``; a request with the same ETag gets 304. The
app keeps each rendered page until what it is made of changes (:class:`PageCache`), so a
visit costs one small query rather than the page's queries and its rendering.
"""

from __future__ import annotations

import hashlib
import re
import threading
import time
from collections.abc import Callable
from datetime import datetime

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from rvg.information.public import (
    campaign_cohort,
    campaign_page,
    for_organisations_page,
    freshness,
    organisation_page,
    signup_cohort,
)
from rvg.unit import Unit
from rvg.web.deps import Now, Transaction
from rvg.web.pages import not_found, render

router = APIRouter()
PUBLIC_MAX_AGE = 300  # seconds: a published change shows within five minutes
_CODE = re.compile(r"[A-Za-z0-9_.-]{1,32}")
SELECTION_STEPS = (
    (
        "Brief en cv",
        "Het wervingsbureau kijkt naar uw motivatie en uw ervaring: niet naar "
        "kennis van ruimtelijke ordening, maar naar uw potentie en leervermogen.",
    ),
    (
        "Online assessment",
        "Een capaciteitentest, een persoonlijkheidstest en een test naar uw "
        "drijfveren, thuis te maken.",
    ),
    (
        "Online interview",
        "Een gesprek over uw drijfveren, uw leervermogen, uw proactiviteit en hoe u communiceert.",
    ),
    ("Meet & greet", "Een dag in het provinciehuis waarop u met meerdere organisaties praat."),
    ("Voorkeuren", "Aan het eind van die dag geven u en de organisaties hun voorkeuren op."),
    (
        "Definitieve match",
        "Het wervingsbureau doet de definitieve matches; u hoort binnen twee weken waar u begint.",
    ),
)


class PageCache:
    """Rendered public pages, each kept until what it is made of changes (``freshness``), the
    day turns, or a minute has passed (what the freshness query does not see, such as a
    cohort's rule file); one per app, shared by its worker threads."""

    def __init__(self) -> None:
        self._pages: dict[str, tuple[tuple[object, ...], str]] = {}
        self._lock = threading.Lock()

    def page(self, name: str, u: Unit, now: datetime, make: Callable[[], str | None]) -> str | None:
        key = (*freshness(session=u.session), now.date(), int(time.monotonic() // 60))
        with self._lock:
            kept = self._pages.get(name)
        if kept is not None and kept[0] == key:
            return kept[1]
        html = make()
        if html is not None:
            with self._lock:
                if len(self._pages) > MAX_CACHED_PAGES:
                    self._pages.clear()
                self._pages[name] = (key, html)
        return html


CACHE = "public_pages"  # its name on app.state
MAX_CACHED_PAGES = 2000  # a page per organisation and cohort, and then some


def _cache(request: Request) -> PageCache:
    cache: PageCache | None = getattr(request.app.state, CACHE, None)
    if cache is None:
        cache = PageCache()
        setattr(request.app.state, CACHE, cache)
    return cache


def cacheable(request: Request, html: str) -> Response:
    """``html`` with its ETag; 304 when the browser holds this very page already."""
    tag = '"' + hashlib.sha256(html.encode("utf-8")).hexdigest()[:32] + '"'
    headers = {"ETag": tag, "Cache-Control": f"public, max-age={PUBLIC_MAX_AGE}"}
    wanted = [t.strip() for t in request.headers.get("if-none-match", "").split(",")]
    if tag in wanted or f"W/{tag}" in wanted:
        return Response(status_code=304, headers=headers)
    return HTMLResponse(html, headers=headers)


def _public(
    request: Request,
    transact: Transaction,
    now: datetime,
    name: str,
    make: Callable[[Unit], str | None],
) -> Response:
    """The public page ``name``, from the app's cache or made by ``make``; 404 for None."""
    cache = _cache(request)
    html = transact(lambda u: cache.page(name, u, now, lambda: make(u)))
    return not_found() if html is None else cacheable(request, html)


@router.get("/kandidaten", response_class=HTMLResponse)
def candidates(request: Request, transact: Transaction, now: Now) -> Response:
    return _public(request, transact, now, "candidates", lambda u: _candidates(u, now))


def _candidates(u: Unit, now: datetime) -> str:
    cohort = campaign_cohort(now.date(), session=u.session)
    if cohort is None:
        view = None
    else:
        view = campaign_page(
            cohort, u.config_of(cohort), now.date(), u.settings.zone, session=u.session
        )
    # the Q&A registration's form, empty: its errors show on its own page
    return render(
        "public_candidates.html", view=view, steps=SELECTION_STEPS, values={}, error_for={}
    )


@router.get("/kandidaten/{cohort}/{organisation}", response_class=HTMLResponse)
def organisation(
    cohort: str, organisation: str, request: Request, transact: Transaction, now: Now
) -> Response:
    if not (_CODE.fullmatch(cohort) and _CODE.fullmatch(organisation)):
        return not_found()
    name = f"organisation:{cohort}:{organisation}"
    return _public(request, transact, now, name, lambda u: _organisation(cohort, organisation, u))


def _organisation(cohort: str, organisation: str, u: Unit) -> str | None:
    view = organisation_page(cohort, organisation, session=u.session)
    return None if view is None else render("public_organisation.html", view=view)


@router.get("/organisaties", response_class=HTMLResponse)
def organisations(request: Request, transact: Transaction, now: Now) -> Response:
    return _public(request, transact, now, "organisations", lambda u: _organisations(u, now))


def _organisations(u: Unit, now: datetime) -> str:
    cohort = signup_cohort(now.date(), session=u.session)
    view = (
        None
        if cohort is None
        else for_organisations_page(
            cohort, u.config_of(cohort), now.date(), u.settings.zone, session=u.session
        )
    )
    return render("public_organisations.html", view=view)
