"""``matching.html``: the proposed or approved matches of a cohort, for the team and the
steering group — candidates by reference only, never by name."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from rvg.reports.charts import bar_chart
from rvg.reports.rendering import render_report


@dataclass(frozen=True)
class TrackOutcome:
    """One track's matching: who went where, at which of their choices, and what is left."""

    track: str
    pairs: Mapping[str, str | None]  # applicant reference → organisation code
    choice: Mapping[str, int]  # applicant reference → the rank they gave their match
    open_places: Mapping[str, int]  # organisation code → places left


def matching_html(
    tracks: Sequence[TrackOutcome],
    *,
    cohort_name: str,
    as_of: date,
    optimal: str,
    status: str,
    organisation_names: Mapping[str, str],
    track_names: Mapping[str, str],
) -> str:
    """A standalone Dutch page: a chart of the choices candidates got and a table per track."""
    ranks: dict[int, int] = {}
    for track in tracks:
        for rank in track.choice.values():
            ranks[rank] = ranks.get(rank, 0) + 1
    chart = (
        bar_chart(
            [(f"{rank}e keuze", float(n)) for rank, n in sorted(ranks.items())],
            title=f"Gekoppeld aan de hoeveelste keuze, {cohort_name}",
            value_label="Aantal kandidaten",
            chart_id="choices",
        )
        if ranks
        else ""
    )
    sections = [
        {
            "name": track_names.get(track.track, track.track),
            "matches": [
                (ref, organisation_names.get(org, org), track.choice[ref])
                for ref, org in sorted(track.pairs.items())
                if org
            ],
            "unmatched": sorted(ref for ref, org in track.pairs.items() if not org),
            "open": [
                (organisation_names.get(org, org), n)
                for org, n in sorted(track.open_places.items())
            ],
        }
        for track in tracks
    ]
    matched = sum(len(s["matches"]) for s in sections)
    return render_report(
        "matching.html.j2",
        cohort_name=cohort_name,
        as_of=as_of,
        optimal=optimal,
        status=status,
        matched=matched,
        chart=chart,
        sections=sections,
    )
