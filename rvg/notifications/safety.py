"""What may reach real people: the rules every path that sends e-mail applies.

A run on another day than today is a rehearsal (a dry run of the cycle, a phase "as of" a
past day, the dispatcher "as of" another moment): it sends only to a local sink on loopback,
never to a real mail server, where it would invite people for deadlines that have passed or
send a reminder before it is due.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from rvg.config.programme import TeamContact
from rvg.errors import UserError
from rvg.phases import Phase
from rvg.settings import is_loopback

# The dispatcher's ``as_of`` may differ this much from the real clock (a scheduler's delay).
CLOCK_TOLERANCE = timedelta(minutes=5)
SINK_HINT = "the local sink (`rvg smtp-sink`, RVG_SMTP_HOST=127.0.0.1)"


class UnsafeDryRun(UserError):
    """A dry run would e-mail real people."""


def refuse_real_mail(smtp_host: str) -> None:
    """A dry run sends every e-mail of a year; it may only go to a local sink."""
    if not is_loopback(smtp_host):
        raise UnsafeDryRun(
            f"the cycle sends a whole year of e-mail; RVG_SMTP_HOST is {smtp_host!r}, not a local "
            "sink (start `rvg smtp-sink` and point RVG_SMTP_HOST at 127.0.0.1)"
        )


def refuse_past_as_of(phase: Phase, as_of: date | None, today: date, smtp_host: str) -> None:
    """A phase run "as of" a past day would invite and remind real people for deadlines that
    have passed (their links open "closed"); that is a rehearsal, and goes to the sink only."""
    if as_of is None or as_of >= today or not phase.sends_mail or is_loopback(smtp_host):
        return
    raise UnsafeDryRun(
        f"{phase.cli_name} as of {as_of.isoformat()} lies in the past while RVG_SMTP_HOST is "
        f"{smtp_host!r}: its invitations and reminders would reach real people for deadlines "
        f"that have passed. Run it without --as-of, or rehearse against {SINK_HINT}"
    )


def refuse_shifted_clock(as_of: datetime | None, now: datetime, smtp_host: str) -> None:
    """Sending "as of" another moment than now sends what is due then: past reminders for
    deadlines gone by, or future ones early. Only a local sink may receive that."""
    if as_of is None or is_loopback(smtp_host) or abs(as_of - now) <= CLOCK_TOLERANCE:
        return
    when = "in the past" if as_of < now else "in the future"
    raise UnsafeDryRun(
        f"sending as of {as_of.isoformat(timespec='minutes')}, {when}, while RVG_SMTP_HOST is "
        f"{smtp_host!r}: real people would get e-mail that is not due now. Send without "
        f"--as-of, or rehearse against {SINK_HINT}"
    )


def refuse_example_contact(team: TeamContact, smtp_host: str) -> None:
    """Real mail names the team's mailbox as the address to reply to; while it is still the
    example address, replies would reach nobody."""
    if is_loopback(smtp_host) or not team.is_example:
        return
    raise UnsafeDryRun(
        f"the project team's contact is still the example {team.email!r} while RVG_SMTP_HOST "
        f"is {smtp_host!r}: replies and calendar answers would reach nobody. Set the team's "
        "mailbox, phone and hours under `contact:` in config/programme.yaml"
    )
