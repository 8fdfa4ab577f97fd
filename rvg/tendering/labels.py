"""Dutch names of procurement paths and milestones, for e-mails, reports and tables."""

from __future__ import annotations

PATH_LABELS = {
    "current_contract": "Huidig contract volstaat",
    "extension": "Verlenging van het huidige contract",
    "open_procedure": "Europese openbare procedure",
    "social_services": "Aankondiging sociale en andere specifieke diensten (TenderNed)",
}

MILESTONE_LABELS = {
    "publication": "Publicatie van de aankondiging",
    "questions_deadline": "Sluiting vragenronde",
    "answers_deadline": "Laatste antwoorden op vragen (nota van inlichtingen)",
    "tender_deadline": "Sluiting inschrijving",
    "award_decision": "Gunningsbeslissing",
    "standstill_end": "Einde Alcatel-termijn",
    "signature": "Ondertekening contract",
    "contract_start": "Start contract",
    "decision": "Besluit stuurgroep over verlenging",
    "notice_deadline": "Uiterste datum verlenging melden aan leverancier",
}

REGIME_LABELS = {
    "standard": "normaal regime",
    "social_services": "sociale en andere specifieke diensten",
}
