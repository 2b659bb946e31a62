"""Background work on Huey: mail delivery, invitation expiry and reminders, the SLA digest.

engine.py builds the Huey instance from the app's configuration (SQLite file on one machine, Redis for several)
and registers tasks.py's functions, each run inside an app context; `flask jobs worker` is the consumer.
"""
