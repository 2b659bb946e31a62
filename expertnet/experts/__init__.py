"""Experts: vetted practitioners' profiles, applications and vetting."""
