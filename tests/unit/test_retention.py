"""Retention of applicants' personal data: 28 days, or up to a year with consent."""

from datetime import UTC, date, datetime

import pytest

from rvg.models import Applicant
from rvg.recruitment.retention import (
    anonymise,
    due_for_erasure,
    is_due,
    one_year_after,
    retain_until,
    retention_rule,
)

ENDED = date(2027, 3, 1)


def _applicant(stage: str = "rejected", **values) -> Applicant:
    defaults = {
        "id": 7,
        "cohort_id": 1,
        "applicant_ref": "A-007",
        "first_name": "Renée",
        "last_name": "Smeets",
        "email": "renee@example.org",
        "phone": "06 12345678",
        "track_code": "ro",
        "stage": stage,
        "stage_date": ENDED,
        "source": "LinkedIn",
        "education_level": "hbo",
        "years_experience": 12,
        "capacity_score": 7.5,
    }
    return Applicant(**{**defaults, **values})


@pytest.mark.parametrize(
    ("consent", "until", "rule"),
    [
        (None, date(2027, 3, 29), "28 days after procedure end"),
        (date(2027, 3, 15), date(2027, 3, 29), "28 days after procedure end"),
        (date(2027, 10, 1), date(2027, 10, 1), "consent until 2027-10-01"),
        (date(2028, 3, 1), date(2028, 3, 1), "consent until 2028-03-01"),
        (
            date(2028, 6, 1),
            date(2028, 3, 1),
            "consent until 2028-06-01, limited to 1 year after procedure end",
        ),
    ],
)
def test_four_weeks_or_longer_with_consent_but_at_most_a_year(consent, until, rule):
    assert retain_until(ENDED, consent) == until
    assert retention_rule(ENDED, consent) == rule


def test_a_year_after_a_leap_day_is_not_longer_than_a_year():
    assert one_year_after(date(2028, 2, 29)) == date(2029, 2, 28)
    assert retain_until(date(2028, 2, 29), date(2030, 1, 1)) == date(2029, 2, 28)


def test_due_from_the_day_after_retain_until():
    applicant = _applicant()  # retain until 29 March 2027

    assert not is_due(applicant, date(2027, 3, 29))
    assert is_due(applicant, date(2027, 3, 30))


def test_only_ended_procedures_that_are_not_yet_anonymised_are_due():
    later = date(2028, 1, 1)
    rejected = _applicant()
    withdrawn = _applicant("withdrawn", id=8)
    placed = _applicant("placed", id=9)
    running = _applicant("interview", id=10)
    anonymised = _applicant(id=11, anonymised_at=datetime(2027, 4, 1, tzinfo=UTC))
    with_consent = _applicant(id=12, consent_until=date(2028, 1, 1))
    stored = _applicant(id=13, procedure_ended_on=ENDED, retain_until=date(2028, 2, 1))

    due = due_for_erasure(
        [rejected, withdrawn, placed, running, anonymised, with_consent, stored], later
    )

    assert due == [rejected, withdrawn]


def test_anonymise_keeps_the_statistics_and_drops_the_person():
    applicant = _applicant(consent_until=date(2027, 5, 1))
    at = datetime(2027, 6, 1, 2, 0, tzinfo=UTC)

    anonymise(applicant, at)

    assert (applicant.first_name, applicant.last_name, applicant.email, applicant.phone) == (
        None,
        None,
        None,
        None,
    )
    assert (applicant.applicant_ref, applicant.anonymised_at) == ("anon-7", at)
    assert (applicant.track_code, applicant.stage, applicant.stage_date) == (
        "ro",
        "rejected",
        ENDED,
    )
    assert (applicant.source, applicant.education_level, applicant.years_experience) == (
        "LinkedIn",
        "hbo",
        12,
    )
    assert (applicant.capacity_score, applicant.consent_until) == (7.5, date(2027, 5, 1))


def test_an_unsaved_applicant_cannot_be_anonymised():
    with pytest.raises(ValueError, match="stored"):
        anonymise(_applicant(id=None), datetime(2027, 6, 1, tzinfo=UTC))
