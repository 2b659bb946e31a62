"""A member agency's copy of its own data: its requests as the agency sees them, and its users."""
