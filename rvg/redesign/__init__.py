"""Phase 8: findings from a cohort's actuals, actions, and the proposal for the next cohort."""
