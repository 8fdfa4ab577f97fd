"""Contracts with suppliers and the tenders that produce them (two lots)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import CheckConstraint, ForeignKey, Numeric, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from rvg.db import Base
from rvg.models._columns import check_in, created_at_column


class Lot(StrEnum):
    RECRUITMENT_SELECTION = "recruitment_selection"
    TRAINING = "training"


class ProcurementPath(StrEnum):
    OPEN_PROCEDURE = "open_procedure"  # normal regime: the European open procedure
    SOCIAL_SERVICES = "social_services"  # Annex XIV: a notice and a reasonable period
    EXTENSION = "extension"


class TenderStatus(StrEnum):
    PLANNED = "planned"
    PUBLISHED = "published"
    AWARDED = "awarded"
    CANCELLED = "cancelled"


class Contract(Base):
    """A contract for one lot: supplier, term, value and the extension options it carries."""

    __tablename__ = "contracts"
    __table_args__ = (
        UniqueConstraint("lot", "supplier", "starts_on"),
        check_in("lot", Lot),
        CheckConstraint("starts_on < ends_on", name="term_ordered"),
        CheckConstraint("value_eur >= 0", name="value_not_negative"),
        CheckConstraint(
            "extension_options_used >= 0 AND extension_options_used <= extension_options_total",
            name="extensions_within_options",
        ),
        CheckConstraint("extension_months >= 0 AND notice_days >= 0", name="extension_terms_valid"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    lot: Mapped[str] = mapped_column(String(32))
    supplier: Mapped[str] = mapped_column(String(200))
    starts_on: Mapped[date]
    ends_on: Mapped[date]
    value_eur: Mapped[Decimal] = mapped_column(Numeric(14, 2))
    extension_options_total: Mapped[int] = mapped_column(default=0)
    extension_options_used: Mapped[int] = mapped_column(default=0)
    extension_months: Mapped[int] = mapped_column(default=12)
    notice_days: Mapped[int] = mapped_column(default=90)
    created_at: Mapped[datetime] = created_at_column()


class Tender(Base):
    """The procurement of one lot for one cohort: by extension or by a new tender of its regime."""

    __tablename__ = "tenders"
    __table_args__ = (
        UniqueConstraint("cohort_id", "lot"),
        check_in("lot", Lot),
        check_in("path", ProcurementPath),
        check_in("status", TenderStatus),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"))
    lot: Mapped[str] = mapped_column(String(32))
    path: Mapped[str] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(16), default=TenderStatus.PLANNED.value)
    contract_id: Mapped[int | None] = mapped_column(ForeignKey("contracts.id"))
    # An extension: the options the plan uses (one per cohort) and the end it plans, the
    # most that recording it may take.
    extension_options_planned: Mapped[int | None]
    extension_until_planned: Mapped[date | None]
    created_at: Mapped[datetime] = created_at_column()

    milestones: Mapped[list[TenderMilestone]] = relationship(
        back_populates="tender", cascade="all, delete-orphan", order_by="TenderMilestone.due_on"
    )


class TenderMilestone(Base):
    __tablename__ = "tender_milestones"
    __table_args__ = (UniqueConstraint("tender_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    tender_id: Mapped[int] = mapped_column(ForeignKey("tenders.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(64))
    due_on: Mapped[date]
    done_on: Mapped[date | None]

    tender: Mapped[Tender] = relationship(back_populates="milestones")


class Invoice(Base):
    """A supplier's invoice charged to a cohort: what the cohort actually cost, per lot (or
    none, for the programme's other costs). The same row imported again is the same invoice."""

    __tablename__ = "invoices"
    __table_args__ = (
        UniqueConstraint(
            "cohort_id",
            "supplier",
            "invoiced_on",
            "amount_eur",
            "description",
            name="uq_invoices_once",
        ),
        CheckConstraint(
            "lot IS NULL OR lot IN ('recruitment_selection', 'training')", name="lot_valid"
        ),
        CheckConstraint("amount_eur >= 0", name="amount_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"), index=True)
    supplier: Mapped[str] = mapped_column(String(200))
    lot: Mapped[str | None] = mapped_column(String(32))
    invoiced_on: Mapped[date]
    amount_eur: Mapped[Decimal] = mapped_column(Numeric(14, 2))
    description: Mapped[str] = mapped_column(String(500))
    created_at: Mapped[datetime] = created_at_column()
