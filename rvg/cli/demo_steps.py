"""The steps of ``rvg demo``: each runs the real flows and prints what a team member would see."""

from __future__ import annotations

import csv
import email
import email.policy
import re
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path

import httpx
import typer
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from rvg.business_case.decision import BusinessCaseDecision
from rvg.cli._prefect import load_flow
from rvg.cli.tender import echo_tender_summary
from rvg.commitments.collection import answers, invited_organisations
from rvg.commitments.rules import GoNoGoDecision, count_answers
from rvg.db import cached_engine, make_sessionmaker, session_scope
from rvg.demo.data import DemoAnswer, demo_answers, demo_contacts
from rvg.imports.contacts import import_contacts
from rvg.models import Contact, ContactRoleAssignment, Notification, Organisation
from rvg.programme import create_cohort
from rvg.reports.rendering import euro
from rvg.repositories.cohorts import get_cohort
from rvg.repositories.organisations import count_by_region_and_kind, list_organisations
from rvg.settings import Settings

MORNING = time(10, 0)


@dataclass
class DemoClock:
    """The web app's "now", moved along with the simulated days."""

    moment: datetime

    def __call__(self) -> datetime:
        return self.moment


def _session(settings: Settings) -> AbstractContextManager[Session]:
    return session_scope(make_sessionmaker(cached_engine(settings.database_url)))


def load_cohort(code: str, settings: Settings) -> int:
    """Load the region and the cohort, print them; returns how many organisations there are."""
    config_dir = settings.config_dir
    with _session(settings) as session:
        loaded, outcome = create_cohort(
            code, config_dir / "cohorts" / f"{code}.yaml", config_dir, session=session
        )
        counts = count_by_region_and_kind(session=session)
        typer.echo(f"\nOrganisations in {loaded.region} (municipalities / other):")
        for region in sorted({region for region, _ in counts}):
            municipalities = counts.get((region, "municipality"), 0)
            other = sum(
                n for (r, kind), n in counts.items() if r == region and kind != "municipality"
            )
            typer.echo(f"  {region:<20} {municipalities:>3} / {other}")
        typer.echo(f"\nCohort {loaded.code}: {loaded.name} ({outcome})")
        typer.echo(
            f"  target: {loaded.target_participants_min}-{loaded.target_participants_max}"
            f" participants, at least {loaded.min_organisations} organisations"
        )
        for milestone in sorted(loaded.milestones, key=lambda m: m.on):
            typer.echo(f"  {milestone.on.isoformat()}  {milestone.name}")
    return sum(counts.values())


def load_contacts(settings: Settings, seed: int, folder: Path) -> None:
    """Fictitious secretaries and a procurement contact, through the real contacts import."""
    with _session(settings) as session:
        contacts = demo_contacts(list_organisations(session=session), seed)
    path = folder / "contacts.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["organisation", "role", "name", "email"])
        writer.writerows([c.organisation, c.role, c.name, c.email] for c in contacts)
    with _session(settings) as session:
        result = import_contacts(path, session=session)
    typer.echo(f"\nContacts (fictitious, {path}): {result.tally.line()}")


def business_case(cohort: str, settings: Settings) -> None:
    """Phase 1 with the steering group's approval given up front."""
    with _session(settings) as session:
        loaded = get_cohort(cohort, session=session)
        decided_on = loaded.milestone("business_case_decision")
        low, high = loaded.target_participants_min, loaded.target_participants_max
    approval = BusinessCaseDecision(
        approved=True,
        min_participants=low,
        max_participants=high,
        comment="Demo: akkoord van de stuurgroep.",
        decided_by="Stuurgroep (demo)",
    )
    typer.echo("\nBusiness case (phase 1)")
    summary = load_flow("business_case", "business_case")(
        cohort=cohort, as_of=decided_on, decision=approval
    )
    typer.echo(
        f"  {summary.planned_participants} participants, total {euro(summary.total_cost)},"
        f" {euro(summary.cost_per_participant)} per participant; status {summary.status}"
    )
    typer.echo(f"  European procedure required for: {', '.join(summary.european_lots) or 'none'}")
    typer.echo(f"  report: {Path(summary.report).resolve()}")


def links_in_mail(maildir: Path, route: str) -> list[tuple[str, str]]:
    """(recipient, link) of every e-mail in the sink with a ``/<route>/<token>`` link, in order."""
    found_links = []
    for path in sorted(maildir.glob("*.eml")):
        message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        body = message.get_body(("plain",))
        text = body.get_content() if body else ""
        found = re.search(rf"https?://\S+/{route}/[A-Za-z0-9_-]+", text)
        if found:
            found_links.append((str(message["To"]), found.group(0)))
    return found_links


def commitments(cohort: str, settings: Settings, seed: int, maildir: Path, web: DemoClock) -> None:
    """Phase 2: invitations, answers through the web form, reminders, go/no-go."""
    flow = load_flow("commitments", "commitments")
    dispatch = load_flow("dispatch", "dispatch_notifications")
    with _session(settings) as session:
        loaded = get_cohort(cohort, session=session)
        opens, deadline = loaded.milestone("signup_opens"), loaded.milestone("signup_deadline")
        assert opens is not None and deadline is not None
        tracks = [t.track_code for t in loaded.tracks]
        organisations = invited_organisations(loaded, session=session)
        secretaries = dict(
            session.execute(
                select(Organisation.code, Contact.email)
                .join(Contact)
                .join(ContactRoleAssignment)
                .where(ContactRoleAssignment.role == "secretary")
            ).all()
        )
    typer.echo(f"\nCommitment collection (phase 2), {opens} to {deadline}")

    def at(day: date) -> datetime:
        return datetime.combine(day, MORNING, tzinfo=settings.zone)

    flow(cohort=cohort, as_of=opens)
    sent = dispatch(as_of=at(opens))
    typer.echo(f"  {opens}: invitations e-mailed: {sent.sent}")
    links = dict(links_in_mail(maildir, "aanmelden"))  # the newest link per secretary
    planned = demo_answers(organisations, tracks, seed, open_days=(deadline - opens).days - 15)
    for answer in sorted(planned, key=lambda a: a.answer_day):
        web.moment = at(opens + timedelta(days=answer.answer_day))
        _answer_in_web_form(links[secretaries[answer.organisation]], answer)
    typer.echo(f"  {len(planned)} organisations answered through the web form")
    reminder_day = deadline - timedelta(days=14)
    flow(cohort=cohort, as_of=reminder_day)
    dispatched = dispatch(as_of=at(reminder_day))
    with _session(settings) as session:
        reminders = session.scalar(
            select(func.count()).where(Notification.key.startswith(f"signup-reminder:{cohort}:"))
        )
    typer.echo(
        f"  {reminder_day}: {reminders} reminders to organisations that had not answered "
        f"({dispatched.sent} e-mails sent that day, tender milestone reminders included)"
    )
    counted = flow(cohort=cohort, as_of=deadline)
    go = counted.committed >= counted.minimum
    final = flow(
        cohort=cohort,
        as_of=deadline + timedelta(days=1),
        decision=GoNoGoDecision(
            go=go,
            comment=f"Demo: {counted.committed} organisaties (minimaal {counted.minimum}).",
            decided_by="Stuurgroep (demo)",
        ),
    )
    dispatch(as_of=at(deadline + timedelta(days=1)))
    with _session(settings) as session:
        by_region = count_answers(answers(get_cohort(cohort, session=session), session=session))
    typer.echo(
        f"  After the deadline: {final.committed} take part, {final.declined} declined, "
        f"{final.invited - final.responded} did not answer; vacancies {final.vacancies}"
    )
    for row in by_region.table(tracks):
        typer.echo("    " + "  ".join(f"{k}={v}" for k, v in row.items()))
    typer.echo(
        f"  Go/no-go: rule says {'go' if final.go_by_rule else 'no-go'} "
        f"(minimum {final.minimum}); steering group: {final.decision}"
    )


def _answer_in_web_form(link: str, answer: DemoAnswer) -> None:
    """Post the answer to the real sign-up form, as the secretary's browser would."""
    form = {
        "takes_part": "ja" if answer.takes_part else "nee",
        "agrees_to_costs": "ja" if answer.takes_part else "",
        "signed_by_name": "Namens de directie",
        "signed_by_function": "Gemeentesecretaris",
    } | {f"vacancies_{track}": str(n) for track, n in answer.vacancies.items()}
    response = httpx.post(link, data=form)
    if response.status_code != 303:
        raise RuntimeError(f"the form answered {response.status_code} for {answer.organisation}")


def tender_plan(cohort: str, settings: Settings) -> None:
    """Phase 3 planned as soon as the business case is approved (extensions need notice)."""
    with _session(settings) as session:
        day = get_cohort(cohort, session=session).milestone("signup_opens")
    typer.echo(f"\nTender plan (phase 3) as of {day}")
    tenders = load_flow("tendering", "tendering")(cohort=cohort, as_of=day)
    echo_tender_summary(tenders, indent="  ")
