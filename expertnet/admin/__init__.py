"""Administration: organisations, users and invitations, the taxonomy, the audit log."""
