"""Vigil: on-premises, CPU-first video intelligence for security control rooms."""

__version__ = "0.1.0"
