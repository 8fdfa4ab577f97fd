"""The domain model; importing this package registers every table on ``rvg.db.Base.metadata``."""

from rvg.models.audit import ErasureAction, ErasureAudit, RejectedFile, Tombstone
from rvg.models.business_cases import BusinessCase, BusinessCaseStatus, CostCategory, CostLine
from rvg.models.cohorts import (
    Cohort,
    CohortMilestone,
    CohortOutcome,
    CohortRuleSet,
    CohortTrack,
    Measure,
    Track,
)
from rvg.models.commitments import (
    Commitment,
    CommitmentStatus,
    CommitmentVacancy,
    CommitmentVersion,
)
from rvg.models.decisions import Decision, PhaseTick
from rvg.models.information import OrganisationProfile, OrganisationProfileVersion, QaInterest
from rvg.models.invitations import Invitation, InvitationLink, InvitationPurpose
from rvg.models.matching import CandidatePreference, OrganisationPreference
from rvg.models.notifications import Notification, NotificationStatus
from rvg.models.organisations import (
    Contact,
    ContactRole,
    ContactRoleAssignment,
    Organisation,
    OrganisationKind,
)
from rvg.models.placements import Placement, PlacementStatus
from rvg.models.recruitment import ENDED_STAGES, Applicant, Stage, StageChange
from rvg.models.surveys import Audience, RoundStatus, SurveyResponse, SurveyRound
from rvg.models.tendering import (
    Contract,
    Invoice,
    Lot,
    ProcurementPath,
    Tender,
    TenderMilestone,
    TenderStatus,
)
from rvg.models.training import Attendance, AttendanceStatus, TrainingSession

__all__ = [
    "ENDED_STAGES",
    "Applicant",
    "Attendance",
    "AttendanceStatus",
    "Audience",
    "BusinessCase",
    "BusinessCaseStatus",
    "CandidatePreference",
    "Cohort",
    "CohortMilestone",
    "CohortOutcome",
    "CohortRuleSet",
    "CohortTrack",
    "Commitment",
    "CommitmentStatus",
    "CommitmentVacancy",
    "CommitmentVersion",
    "Contact",
    "ContactRole",
    "ContactRoleAssignment",
    "Contract",
    "CostCategory",
    "CostLine",
    "Decision",
    "ErasureAction",
    "ErasureAudit",
    "Invitation",
    "InvitationLink",
    "InvitationPurpose",
    "Invoice",
    "Lot",
    "Measure",
    "Notification",
    "NotificationStatus",
    "Organisation",
    "OrganisationKind",
    "OrganisationPreference",
    "OrganisationProfile",
    "OrganisationProfileVersion",
    "PhaseTick",
    "Placement",
    "PlacementStatus",
    "ProcurementPath",
    "QaInterest",
    "RejectedFile",
    "RoundStatus",
    "Stage",
    "StageChange",
    "SurveyResponse",
    "SurveyRound",
    "Tender",
    "TenderMilestone",
    "TenderStatus",
    "Tombstone",
    "Track",
    "TrainingSession",
]
