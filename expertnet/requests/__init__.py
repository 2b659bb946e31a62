"""Technical-assistance requests filed by member agencies."""
