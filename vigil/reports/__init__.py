"""Incident reports: the workflow's rules, rendering and exports, evidence packages with
their signatures, and redaction of what leaves the site."""
