"""Uploaded files: stored outside the web root, type-checked by content, each with a sensitivity label."""
