"""Backups: one archive holding a consistent snapshot of every table and the uploaded files, and its restore."""
