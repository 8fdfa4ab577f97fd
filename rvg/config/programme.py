"""``config/programme.yaml``: the region, its tracks and programme-wide rules."""

from __future__ import annotations

from datetime import date, datetime, time
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from rvg.clock import DEFAULT_TIMEZONE_NAME
from rvg.config._files import load_model
from rvg.models.organisations import OrganisationKind
from rvg.workdays import working_hours_moment

if TYPE_CHECKING:
    from rvg.calendar import Organizer


class TrackConfig(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    code: str = Field(pattern=r"^[a-z]{2,16}$")
    name: str = Field(min_length=2, max_length=100)


class EventConfig(BaseModel):
    """Where and when on its day a programme event (such as the meet & greet) takes place."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    start: time
    end: time
    location: str = Field(min_length=2)

    @model_validator(mode="after")
    def _ordered(self) -> EventConfig:
        if self.start >= self.end:
            raise ValueError("start must be before end")
        return self


class LeadTimes(BaseModel):
    """How long the steps before the training year take at the least, in days. ``rvg cohort
    create`` warns when a cohort's key dates leave less, and the redesign's proposal for the
    next cohort keeps to them (the tender periods per lot come from ``contracts.yaml``)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    signup_window_days: int = Field(default=42, ge=7, le=180)
    recruitment_campaign_days: int = Field(default=84, ge=14, le=365)
    placement_days: int = Field(default=56, ge=7, le=180)


class MailHours(BaseModel):
    """When e-mail to people outside the team goes out: on Dutch working days (public holidays
    excluded) from ``start`` to ``end``. What falls due in the evening, at a weekend or on a
    holiday waits for the next working day at ``start``."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    start: time = time(9, 0)
    end: time = time(17, 0)

    @model_validator(mode="after")
    def _ordered(self) -> MailHours:
        if self.start >= self.end:
            raise ValueError("start must be before end")
        return self

    def send_at(self, when: date | datetime, zone: ZoneInfo) -> datetime:
        """The moment an e-mail meant for ``when`` goes out: a day means its start hour (or the
        next working day's); a moment in working hours stays, any other waits for the next."""
        if isinstance(when, datetime):
            moment = when.astimezone(zone)
        else:
            moment = datetime.combine(when, self.start, tzinfo=zone)
        return working_hours_moment(moment, self.start, self.end)


# Domains reserved for examples and tests (RFC 2606, RFC 6761): a contact there reaches nobody.
EXAMPLE_DOMAINS = (".example", ".invalid", ".test", ".localhost")


class TeamContact(BaseModel):
    """How people reach the project team: named in every e-mail's signature, its mailbox the
    Reply-To of every e-mail and the ORGANIZER of every calendar, and named on the web pages."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    team: str = Field(min_length=2, max_length=100)
    email: str = Field(min_length=3, max_length=254, description="a function mailbox")
    phone: str = Field(min_length=6, max_length=40)
    hours: str = Field(min_length=2, max_length=120, description="when the phone is answered")

    @field_validator("email")
    @classmethod
    def _mailbox(cls, value: str) -> str:
        from rvg.notifications.addresses import normalise_address

        return normalise_address(value)

    @field_validator("team", "phone", "hours")
    @classmethod
    def _one_line(cls, value: str) -> str:
        if any(ord(c) < 32 for c in value):
            raise ValueError("must be one line of text")
        return value.strip()

    @property
    def organizer(self) -> Organizer:
        """The ORGANIZER of every calendar the project sends: accepting or declining reaches
        the team's mailbox."""
        from rvg.calendar import Organizer

        return Organizer(self.email, self.team)

    @property
    def mailbox(self) -> str:
        """The mailbox with the team's name, as a Reply-To header gives it."""
        from email.utils import formataddr

        return formataddr((self.team, self.email), charset="utf-8")

    @property
    def is_example(self) -> bool:
        """Whether the mailbox is still an example address, which reaches nobody."""
        return self.email.rsplit("@", 1)[-1].lower().endswith(EXAMPLE_DOMAINS)


# Built without validation: the validator imports rvg.notifications, which imports this module.
EXAMPLE_CONTACT = TeamContact.model_construct(
    team="Projectteam Ruimte voor Groei",
    email="projectteam@ruimtevoorgroei.example",
    phone="073 000 00 00",
    hours="op werkdagen van 9.00 tot 17.00 uur",
)


class ProgrammeConfig(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(min_length=2)
    region: str = Field(min_length=2)
    regions: list[str] = Field(min_length=1, description="sub-regions organisations belong to")
    tracks: list[TrackConfig] = Field(min_length=1)
    min_organisations: int = Field(default=12, ge=1)
    go_counts: list[OrganisationKind] = Field(
        default=[OrganisationKind.MUNICIPALITY],
        min_length=1,
        description="the organisation kinds the go/no-go's minimum counts",
    )
    meet_and_greet: EventConfig = EventConfig(
        start=time(13, 0), end=time(17, 30), location="Provinciehuis, 's-Hertogenbosch"
    )
    meet_and_greet_invitation_days: int = Field(default=21, ge=1, le=90)
    agency_email: str | None = Field(
        default=None, description="the recruitment agency's address for replacement requests"
    )
    signup_reminder_days: list[int] = Field(
        default=[14, 7, 2], description="reminders this many days before the sign-up deadline"
    )
    programme_organisation: str = Field(
        min_length=2, description="code of the organisation that runs the programme"
    )
    lead_times: LeadTimes = LeadTimes()
    contact: TeamContact = EXAMPLE_CONTACT
    mail_hours: MailHours = MailHours()

    @model_validator(mode="before")
    @classmethod
    def _no_timezone(cls, data: Any) -> Any:
        # Earlier releases had a timezone here that nothing read; say so rather than ignore it.
        if isinstance(data, dict) and "timezone" in data:
            raise ValueError(
                "timezone: the programme's time zone is the setting RVG_TIMEZONE (default "
                f"{DEFAULT_TIMEZONE_NAME}), not a line in programme.yaml; remove the line"
            )
        return data

    @model_validator(mode="after")
    def _unique_tracks(self) -> ProgrammeConfig:
        codes = [track.code for track in self.tracks]
        if len(set(codes)) != len(codes):
            raise ValueError("track codes must be unique")
        if len(set(self.regions)) != len(self.regions):
            raise ValueError("regions must be unique")
        return self

    @property
    def go_kinds(self) -> list[str]:
        """The organisation kinds the go/no-go counts, by value (``municipality``)."""
        return [kind.value for kind in self.go_counts]

    def track(self, code_or_name: str) -> TrackConfig | None:
        """The track with this code or name, in any case (``ro``, ``Ruimtelijke Ordening``)."""
        wanted = code_or_name.strip().casefold()
        return next(
            (t for t in self.tracks if wanted in (t.code.casefold(), t.name.casefold())), None
        )


def load_programme(path: Path) -> ProgrammeConfig:
    return load_model(path, ProgrammeConfig)
