"""Phase 1: the business case of a cohort (cost model, scenarios, procurement check, report)."""
