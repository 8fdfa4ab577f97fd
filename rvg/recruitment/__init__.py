"""Recruitment (phase 4): the selection funnel, applicants who wait too long, and retention.

Applicant data is personal data. What leaves this package for reports and
artifacts identifies applicants by ``applicant_ref`` at most, never by name or address.
"""
