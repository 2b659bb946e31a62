"""Audit: the append-only record of every access and change."""
