"""Notifications: the outbox, Dutch e-mail templates, the SMTP dispatcher and a local sink."""

from rvg.notifications.outbox import (
    cancel,
    counts_by_template,
    enqueue,
    enqueue_to_role,
    reschedule,
)

__all__ = ["cancel", "counts_by_template", "enqueue", "enqueue_to_role", "reschedule"]
