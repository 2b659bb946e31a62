"""Retention: closed requests are anonymised and sent e-mails lose their bodies after configured periods."""
