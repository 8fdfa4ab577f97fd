"""Information for candidates and organisations: each organisation's information page, the
public pages that list them, and the Q&A sessions of the recruitment campaign."""
