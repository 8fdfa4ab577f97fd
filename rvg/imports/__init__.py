"""Imports of files as regional offices send them: contacts, sign-ups, and later applicants,
preferences and survey responses. Valid rows are written, bad rows go to a rejected file."""
