"""Accounts: organisations, users, roles, onboarding and sign-in."""
