"""Phase 7: evaluation — survey rounds, answers, anonymity-safe reports, retention figures."""
