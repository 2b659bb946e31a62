"""expertnet: the chemical-security expert network (no Flask import here, so the matcher stays Flask-free)."""
