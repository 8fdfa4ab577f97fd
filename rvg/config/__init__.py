"""Reading and validating the versioned programme data in ``config/``.

Every loader validates the whole file before anything is written and reports every problem
at once, each naming the file, the row (for tables) and the field.
"""

from rvg.config.cohort import CohortConfig, load_cohort
from rvg.config.organisations import OrganisationRow, load_organisations
from rvg.config.programme import ProgrammeConfig, TrackConfig, load_programme

__all__ = [
    "CohortConfig",
    "OrganisationRow",
    "ProgrammeConfig",
    "TrackConfig",
    "load_cohort",
    "load_organisations",
    "load_programme",
]
