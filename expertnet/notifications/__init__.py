"""Outgoing e-mail: one send_mail seam, an outbox table, delivery after commit."""
