"""The people-facing web forms (DESIGN.md §6): token links, Dutch, accessible, no JavaScript."""
