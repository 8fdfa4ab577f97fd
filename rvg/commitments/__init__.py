"""Phase 2: commitment collection — organisations sign up for a cohort."""
