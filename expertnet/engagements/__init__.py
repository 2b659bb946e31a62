"""Invitations of experts to requests and the engagements that follow acceptance."""
