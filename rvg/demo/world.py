"""The outside world of a dry run: fictitious secretaries, agency, candidates, buddies and
respondents who act on their days through the real web forms and the real imports.

Only ``rvg demo`` uses it: the cycle flow has the world join each cohort it walks and calls
:meth:`World.act` on the days returned by :meth:`World.next_day`. Everybody reads their
invitation from the local SMTP sink's folder, as they would from their mailbox, and answers
through the web app at the link in it; an e-mail's subject names its cohort.
"""

from __future__ import annotations

import csv
import random
import re
import sys
from datetime import date, datetime, time, timedelta
from pathlib import Path

import httpx
from sqlalchemy import select

from rvg.demo import data
from rvg.demo.mailbox import Link, Mailbox
from rvg.demo.simulation import SCALES, WEB_CLOCK, Simulation
from rvg.imports.applicants import import_applicants
from rvg.imports.contacts import import_contacts
from rvg.imports.preferences import import_preferences
from rvg.information.profiles import recruitment_opens
from rvg.invitations.links import INTEREST_ROUTE, PROFILE_ROUTE, SIGNUP_ROUTE, SURVEY_ROUTE
from rvg.models import (
    Applicant,
    Contact,
    ContactRole,
    Organisation,
    Placement,
)
from rvg.placements.changes import assign_guides
from rvg.repositories.commitments import committed_vacancies
from rvg.repositories.organisations import contacts_with_role, list_organisations
from rvg.settings import Settings
from rvg.unit import unit
from rvg.workdays import add_working_days

MORNING = time(10, 0)
EXPORT_EVERY = timedelta(days=14)
RESPONSE_RATE = 0.7  # answer the survey before the reminder; a third of the rest after it
PAGE_AFTER_DEADLINE = timedelta(days=14)  # when most organisations write their information page
PUBLISH_EARLY, DRAFT_EARLY, PUBLISH_LATE = 0.7, 0.1, 0.5  # shares: at first, after a reminder
QA_INTERESTED = 5  # candidates who register for the Q&A sessions; all but the last confirm
_VERSION = re.compile(r'name="version" value="(\d+)"')


class World:
    """Everybody outside the project team, acting on their days for every cohort joined."""

    def __init__(self, simulation: Simulation, settings: Settings) -> None:
        self.simulation, self.settings = simulation, settings
        self.figures = SCALES[simulation.scale]
        self.mailbox = Mailbox(simulation.maildir)
        self.browser = httpx.Client()  # one connection pool for every form everybody fills in
        self.folder = simulation.maildir.parent
        self.cohorts: list[CohortWorld] = []
        self._drawn = -1

    def join(self, cohort: str) -> None:
        """Act for ``cohort`` too, from today: the first cohort's people are played with the
        simulation's seed, each later one's with the next seed (other applicants)."""
        self.cohorts.append(CohortWorld(cohort, self, self.simulation.seed + len(self.cohorts)))

    def acts_on(self, day: date) -> bool:
        return any(day in cohort.events for cohort in self.cohorts)

    def next_day(self, after: date) -> date | None:
        """The first day after ``after`` on which somebody acts."""
        days = [cohort.next_day(after) for cohort in self.cohorts]
        return min((d for d in days if d is not None), default=None)

    def act(self, day: date) -> list[str]:
        """Whatever the outside world does on ``day``; one line per action, no personal data."""
        WEB_CLOCK.moment = datetime.combine(day, MORNING, tzinfo=self.settings.zone)
        return [line for cohort in self.cohorts for line in cohort.act(day)]

    def show_progress(self, day: date, fraction: float) -> None:
        """A progress bar on stderr, redrawn each percent (each ten percent, one line each, when
        stderr is not a terminal, e.g. in a CI log)."""
        step = 1 if sys.stderr.isatty() else 10
        percent = int(fraction * 100) // step * step
        if not self.simulation.show_progress or percent == self._drawn:
            return
        self._drawn = percent
        done = int(fraction * 40)
        end = "\n" if fraction >= 1 or step > 1 else ""
        sys.stderr.write(f"\r  [{'#' * done}{'.' * (40 - done)}] {percent:3d}%  {day}{end}")
        sys.stderr.flush()


class CohortWorld:
    """The organisations, agency, candidates and respondents of one cohort."""

    def __init__(self, cohort: str, world: World, seed: int) -> None:
        self.cohort, self.world, self.seed = cohort, world, seed
        self.settings, self.figures = world.settings, world.figures
        self.mailbox, self.browser, self.folder = world.mailbox, world.browser, world.folder
        self.rng = random.Random(seed)
        with unit(cohort, settings=self.settings) as u:
            loaded = u.cohort
            self.about = loaded.name  # what the subject of this cohort's e-mail names
            self.surveys = u.config.surveys  # the cohort's own survey rules
            programme = u.config.programme
            self.tracks = [t.track_code for t in loaded.tracks]
            key = {m.name: m.on for m in loaded.milestones}
            organisations = list_organisations(session=u.session)
            self.training_start = key["training_start"]
        opens, deadline = key["signup_opens"], key["signup_deadline"]
        answers = data.demo_answers(
            organisations,
            self.tracks,
            seed,
            open_days=(deadline - opens).days - 15,
            joining=self.figures.joining,
            places=self.figures.places,
        )
        self.meet = key["meet_and_greet"]
        self.applicants = data.demo_applicants(
            self.figures.applicants,
            self.tracks,
            key["recruitment_opens"],
            self.meet,
            seed,
        )
        self.invite_day = self.meet - timedelta(days=programme.meet_and_greet_invitation_days)
        self._answers_on: dict[date, list[data.DemoAnswer]] = {}
        for answer in answers:
            self._answers_on.setdefault(opens + timedelta(days=answer.answer_day), []).append(
                answer
            )
        self.events: dict[date, list[str]] = {}
        opens = key["recruitment_opens"]
        # most pages a fortnight after the sign-up closes, the rest after the last reminder
        self._on(min(deadline + PAGE_AFTER_DEADLINE, opens - timedelta(days=10)), "profiles")
        self._on(opens - timedelta(days=2), "profiles-late")
        self._on(opens + timedelta(days=1), "qa-register")
        self._on(opens + timedelta(days=2), "qa-confirm")
        self._schedule(opens)
        self._signup_links: dict[str, str] = {}
        self._profile_links: dict[str, str] = {}
        self._profiles_done: set[str] = set()
        self._profile_rng = random.Random(f"{seed}-profiles")  # apart: the rest draws as before
        self._survey_links: list[Link] = []

    def _schedule(self, recruitment_opens: date) -> None:
        """The days each part of the outside world acts on."""
        for day in self._answers_on:
            self._on(day, "signup")
        day = recruitment_opens + EXPORT_EVERY
        while day < self.invite_day:
            self._on(day, "export")
            day += EXPORT_EVERY
        self._on(self.invite_day, "export")
        # both sides state their preferences at the day's end; the agency sends them on the
        # next working day but one
        self._on(add_working_days(self.meet, 2), "preferences")
        self._on(self.training_start - timedelta(days=14), "guides")
        for item in self.surveys.rounds:
            opened = item.opens_on(self.training_start)
            self._on(opened + timedelta(days=2), "survey")
            self._on(opened + timedelta(days=item.reminder_days[0] + 1), "survey-late")

    def _on(self, day: date, what: str) -> None:
        if what not in self.events.setdefault(day, []):
            self.events[day].append(what)

    def next_day(self, after: date) -> date | None:
        """The first day after ``after`` on which somebody acts."""
        return min((d for d in self.events if d > after), default=None)

    def act(self, day: date) -> list[str]:
        """What this cohort's people do on ``day``; one line per action, no personal data."""
        actions = {
            "signup": self._sign_up,
            "profiles": self._write_profiles,
            "profiles-late": self._write_profiles,
            "qa-register": self._register_for_qa,
            "qa-confirm": self._confirm_qa,
            "export": self._agency_export,
            "preferences": self._preferences,
            "guides": self._guides,
            "survey": self._answer_surveys,
            "survey-late": self._answer_surveys,
        }
        return [f"{self.cohort} {actions[what](day, what)}" for what in self.events.get(day, [])]

    # Phase 2: secretaries answer the sign-up form, at the link in their newest e-mail.
    def _sign_up(self, day: date, _: str) -> str:
        self._signup_links.update(
            (link.recipient, link.url) for link in self.mailbox.new_links(SIGNUP_ROUTE, self.about)
        )
        answering = self._answers_on.get(day, [])
        for answer in answering:
            with unit(settings=self.settings) as u:
                secretary = contacts_with_role(
                    answer.organisation, ContactRole.SECRETARY.value, session=u.session
                )[0]
            _post(self.browser, self._signup_links[secretary.email], _signup_form(answer))
        return f"{day}: {len(answering)} organisation(s) answered the sign-up form"

    # Phase 4: organisations write their information page; most publish it, some after a
    # reminder, a few leave a draft or nothing.
    def _write_profiles(self, day: date, what: str) -> str:
        self._profile_links.update(
            (link.recipient, link.url)
            for link in sorted(
                self.mailbox.new_links(PROFILE_ROUTE, self.about),
                key=lambda link: (link.recipient, link.message_id),
            )
        )
        with unit(self.cohort, settings=self.settings) as u:
            if day >= recruitment_opens(u.cohort):  # its dates moved: the pages are closed
                return f"{day}: information pages closed"
            names = dict(
                u.session.execute(
                    select(Contact.email, Organisation.name).join(
                        Organisation, Contact.organisation_id == Organisation.id
                    )
                ).all()
            )
        published = drafts = 0
        for recipient in sorted(set(self._profile_links) - self._profiles_done):
            roll = self._profile_rng.random()
            publish = roll < (PUBLISH_EARLY if what == "profiles" else PUBLISH_LATE)
            if not publish and (what != "profiles" or roll >= PUBLISH_EARLY + DRAFT_EARLY):
                continue
            link = self._profile_links[recipient]
            _post(self.browser, link, data.demo_profile(names[recipient], self._profile_rng))
            drafts += not publish
            if publish:
                preview = self.browser.get(f"{link}/voorbeeld").text
                version = _VERSION.search(preview)
                if version is None:
                    raise RuntimeError("the preview offers nothing to publish")
                _post(self.browser, f"{link}/voorbeeld", {"version": version.group(1)})
                self._profiles_done.add(recipient)
                published += 1
        return f"{day}: {published} information page(s) published, {drafts} left as a draft"

    # Phase 4: a few would-be applicants register for the Q&A sessions on the landing page;
    # all but one confirm through the link in their e-mail the next day.
    def _register_for_qa(self, day: date, _: str) -> str:
        form = f"{self.settings.web_base_url.rstrip('/')}/kandidaten/vragenuur"
        for address in self._qa_addresses():
            _post(self.browser, form, {"email": address})
        return f"{day}: {QA_INTERESTED} people registered for the Q&A sessions"

    def _qa_addresses(self) -> list[str]:
        """Would-be applicants, known by an address only (not yet applicants)."""
        return [f"belangstelling-{self.cohort}-{n}@voorbeeld.example" for n in range(QA_INTERESTED)]

    def _confirm_qa(self, day: date, _: str) -> str:
        registered = set(self._qa_addresses())
        links = sorted(  # the secretaries' Q&A invitations carry such a link too
            link
            for link in self.mailbox.new_links(INTEREST_ROUTE, self.about)
            if link.recipient in registered
        )
        confirming = links[: QA_INTERESTED - 1]
        for link in confirming:
            _post(self.browser, link.url, {"action": "bevestigen"})
        return f"{day}: {len(confirming)} of {len(links)} confirmed their Q&A registration"

    # Phase 4: the agency's fortnightly export of every applicant and their stage.
    def _agency_export(self, day: date, _: str) -> str:
        path = self.folder / f"applicants-{self.cohort}-{day:%Y%m%d}.csv"
        rows = data.write_agency_export(path, self.applicants, day, {})
        return f"{day}: agency export, {rows} rows: {self._import(path, day)}"

    def _import(self, path: Path, day: date) -> str:
        moment = datetime.combine(day, time(18, 0), tzinfo=self.settings.zone)
        with unit(settings=self.settings) as u:
            return import_applicants(path, self.cohort, session=u.session, at=moment).tally.line()

    # Phase 5: after the meet & greet both sides state their preferences.
    def _preferences(self, day: date, _: str) -> str:
        selected = {
            a.ref: a.track for a in self.applicants if (a.state_on(day) or ("",))[0] == "meet_greet"
        }
        path = self.folder / f"applicants-{self.cohort}-{day:%Y%m%d}.csv"
        data.write_agency_export(path, self.applicants, day, dict.fromkeys(selected, "preferences"))
        imported = self._import(path, day)
        with unit(self.cohort, settings=self.settings) as u:
            loaded = u.cohort
            vacancies = committed_vacancies(loaded, session=u.session)
            regions = dict(u.session.execute(select(Organisation.code, Organisation.region)).all())
        candidate_rows, organisation_rows = data.demo_preferences(
            selected, vacancies, self.seed, regions
        )
        files = []
        for name, header, rows in (
            ("candidates", ["candidate_id", "organisation_id", "rank"], candidate_rows),
            ("organisations", ["organisation_id", "candidate_id", "rank"], organisation_rows),
        ):
            file = self.folder / f"preferences-{self.cohort}-{name}.csv"
            with file.open("w", encoding="utf-8", newline="") as handle:
                csv.writer(handle).writerows([header, *rows])
            files.append(file)
        with unit(settings=self.settings) as u:
            for_candidates, __ = import_preferences(
                files[0], files[1], self.cohort, session=u.session
            )
        return (
            f"{day}: {len(selected)} candidates after the meet & greet ({imported}); "
            f"preferences {for_candidates.tally.line()}"
        )

    # Phase 6: each organisation names a buddy per participant and a manager.
    def _guides(self, day: date, _: str) -> str:
        with unit(self.cohort, settings=self.settings) as u:
            loaded = u.cohort
            placed = u.session.execute(
                select(Applicant.applicant_ref, Organisation.code)
                .join(Placement, Placement.applicant_id == Applicant.id)
                .join(Organisation, Placement.organisation_id == Organisation.id)
                .where(Placement.cohort_id == loaded.id)
                .order_by(Applicant.applicant_ref)
            ).all()
        rows, assignments = data.demo_guides(placed, self.seed)
        path = self.folder / f"buddies-managers-{self.cohort}.csv"
        with path.open("w", encoding="utf-8", newline="") as handle:
            csv.writer(handle).writerows([["organisation", "role", "name", "email"], *rows])
        with unit(self.cohort, settings=self.settings) as u:
            tally = import_contacts(path, session=u.session).tally
            loaded = u.cohort
            for ref, buddy, manager in assignments:
                assign_guides(loaded, ref, buddy=buddy, manager=manager, session=u.session)
        named = len(assignments)
        return f"{day}: buddies and managers named for {named} participants ({tally.line()})"

    # Phase 7: respondents answer the survey form; some only after the reminder.
    def _answer_surveys(self, day: date, what: str) -> str:
        self._survey_links.extend(self.mailbox.new_links(SURVEY_ROUTE, self.about))
        answered = 0
        rate = RESPONSE_RATE if what == "survey" else RESPONSE_RATE / 2
        waiting = []
        # The same order in every run and on every database: the sink's file order differs,
        # and a buddy or manager of two participants gets two links.
        for found in sorted(self._survey_links, key=lambda link: (link.recipient, link.message_id)):
            to, link = found.recipient, found.url
            if self.rng.random() > rate:
                waiting.append(found)
                continue
            page = self.browser.get(link)
            if page.status_code != 200:  # a reminder replaced this link with a new one
                continue
            codes = {q.code: q.kind for q in self.surveys.questions_for(_audience(page.text))}
            answers = data.survey_answers(
                self.rng, codes, had_year_calendar=self.mailbox.got_year_calendar(to)
            )
            if _post(self.browser, link, answers):
                answered += 1
        self._survey_links = waiting
        return f"{day}: {answered} survey answer(s) through the form"


def _signup_form(answer: data.DemoAnswer) -> dict[str, str]:
    return {
        "takes_part": "ja" if answer.takes_part else "nee",
        "agrees_to_costs": "ja" if answer.takes_part else "",
        "signed_by_name": "Namens de directie",
        "signed_by_function": "Gemeentesecretaris",
    } | {f"vacancies_{track}": str(n) for track, n in answer.vacancies.items()}


def _post(browser: httpx.Client, link: str, form: dict[str, str]) -> bool:
    """Post a form as the respondent's browser would; the app answers with a redirect."""
    response = browser.post(link, data=form)
    if response.status_code != 303:
        raise RuntimeError(f"the form answered {response.status_code}")
    return True


def _audience(page: str) -> str:
    """Which questions the form shows: read it like a respondent would."""
    if "buddy_hours" in page:
        return "buddy"
    return "participant" if "guid_buddy" in page else "manager"
