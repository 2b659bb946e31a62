"""The coordinators' desk: triage queue, suggestions, invitations and engagements, SLAs, dashboard, exports."""
