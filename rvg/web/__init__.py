"""The people-facing web forms: token links, Dutch, accessible, no JavaScript."""
