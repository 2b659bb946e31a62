"""The expertise taxonomy: a two-level tree of chemical-security topics with multilingual labels."""
