"""Tasks of phase 2: invite, remind, count, and record the go/no-go."""

from __future__ import annotations

from datetime import date

from prefect import get_run_logger, task
from prefect.artifacts import create_markdown_artifact, create_table_artifact

from rvg.commitments import collection
from rvg.commitments.collection import CommitmentSummary, invite, remind, summarise
from rvg.commitments.rules import GoNoGoDecision
from rvg.dutch import short_date
from rvg.unit import unit
from tasks.information import keep_information
from tasks.retrying import ON_DATABASE_TROUBLE


@task(name="collect-commitments", **ON_DATABASE_TROUBLE)
def collect_commitments(cohort: str, day: date) -> CommitmentSummary:
    """A run's whole step, in one task run (a run on each sign-up day, each step small):
    invite from the opening day, remind on the reminder days, count and publish, and ask
    those signed up for their information page."""
    invite_organisations(cohort, day)
    remind_organisations(cohort, day)
    summary = count_commitments(cohort, day)
    keep_information(cohort, day)  # those signed up so far write their page
    return summary


def invite_organisations(cohort: str, day: date) -> int:
    """From the opening day on, invite each organisation's secretaries once (token link)."""
    logger = get_run_logger()
    with unit(cohort) as u:
        mailing = invite(u, day)
    if mailing.emails:
        logger.info(
            "Invited %d organisation(s) with %d e-mail(s)", mailing.organisations, mailing.emails
        )
    if mailing.nobody_to_invite:
        logger.error(
            "No organisation could be invited: none of the %d has a secretary contact. "
            "Import them with `rvg import contacts FILE` (role secretary)",
            len(mailing.without_secretary),
        )
    elif mailing.without_secretary:
        logger.warning(
            "%d organisation(s) have no secretary to invite: %s",
            len(mailing.without_secretary),
            ", ".join(mailing.without_secretary),
        )
    return mailing.emails


def remind_organisations(cohort: str, day: date) -> int:
    """Remind the organisations that have not answered, on the configured days."""
    with unit(cohort) as u:
        offsets = u.config.programme.signup_reminder_days
        mailing = remind(u, day, offsets)
    if mailing.emails:
        get_run_logger().info(
            "Reminded %d organisation(s) that have not answered", mailing.organisations
        )
    return mailing.emails


def count_commitments(cohort: str, day: date) -> CommitmentSummary:
    """Count answers and vacancies by region; publish progress, or the final summary once closed."""
    with unit(cohort) as u:
        summary, counts = summarise(u, day)
    tracks, missing, minimum = list(summary.vacancies), summary.without_contact, summary.minimum
    closed = summary.closed
    label = "eindstand" if closed else f"stand op {short_date(day)}"
    create_table_artifact(
        counts.table(tracks),
        key=f"commitments-{cohort}",
        description=f"Aanmeldingen lichting {cohort}, {label}; uitgenodigd: per e-mail"
        + (f"; niet uitgenodigd (geen secretaris bekend): {len(missing)}" if missing else ""),
    )
    if missing:
        create_table_artifact(
            [{"organisatie": name, "reden": "geen secretaris bekend"} for name in missing],
            key=f"commitments-without-contact-{cohort}",
            description=f"Niet uitgenodigd voor lichting {cohort}: importeer hun contactpersonen",
        )
    if closed and summary.nothing_to_decide:
        get_run_logger().error(
            "Cohort %s: the sign-up closed but no organisation was ever invited (no secretary "
            "contacts); no go/no-go is asked. Import the contacts and move the deadline",
            cohort,
        )
    elif closed:
        verdict = "voldoende" if summary.go_by_rule else "onvoldoende"
        vacancies = ", ".join(f"{track}: {n}" for track, n in summary.vacancies.items())
        create_markdown_artifact(
            f"## Aanmeldingen lichting {cohort}: eindstand\n\n"
            f"- {summary.rule_line}: **{verdict}**\n"
            f"- {summary.declined} organisaties doen niet mee, "
            f"{summary.invited - summary.responded} reageerden niet\n"
            f"- vacatures per leerlijn: {vacancies}\n",
            key=f"commitments-final-{cohort}",
        )
    get_run_logger().info(
        "Cohort %s: %d of %d organisations answered, %d take part, %d of them %s (minimum %d)%s",
        cohort,
        summary.responded,
        summary.invited,
        summary.committed,
        summary.counted,
        "/".join(summary.counted_kinds),
        minimum,
        " - collection closed" if closed else "",
    )
    return summary


@task(name="record-go-no-go", **ON_DATABASE_TROUBLE)
def record_go_no_go(
    cohort: str, decision: GoNoGoDecision, summary: CommitmentSummary, as_of: date | None
) -> str:
    """Store the steering group's go/no-go with who, when, why and the counts it was based on."""
    with unit(cohort) as u:
        outcome = collection.record_go_no_go(u, decision, summary, as_of)
    if decision.go != summary.go_by_rule:
        get_run_logger().warning(
            "Steering group decided %s against the rule (%d of minimum %d)",
            outcome,
            summary.counted,
            summary.minimum,
        )
    return outcome
