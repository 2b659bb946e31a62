"""What the job engine runs. Each function runs inside an app context and commits its own work, like the
`flask mail deliver` and `flask coordination ...` commands it replaces for deployments that have no cron."""
import logging

from huey import crontab

from expertnet.coordination.digest import send_digest
from expertnet.engagements.upkeep import expire_remind_and_end_lapsed_access
from expertnet.events.reminders import send_reminders as send_event_reminders
from expertnet.extensions import db
from expertnet.notifications.services import deliver_queued

log = logging.getLogger(__name__)


def deliver_mail() -> None:
    """Send the due messages (enqueued after each commit that queued mail)."""
    sent, failed = deliver_queued()
    if sent or failed:
        log.info("mail: %s sent, %s failed", sent, failed)


def sweep_mail() -> None:
    """The safety net: retries that came due, and mail whose enqueue was lost (queue down, worker killed)."""
    deliver_mail()


def hourly_engagement_upkeep() -> None:
    counts = expire_remind_and_end_lapsed_access()
    db.session.commit()
    log.info("engagements upkeep: %s", counts)
    deliver_mail()


def send_sla_digest() -> None:
    """Idempotent per day (dedupe keys), so a second scheduler or a rerun queues nothing."""
    queued = send_digest()
    db.session.commit()
    log.info("SLA digest: %s queued", queued)
    deliver_mail()


def event_reminders() -> None:
    """A day and an hour before each event; idempotent (dedupe keys), so reruns and a second scheduler queue nothing."""
    queued = send_event_reminders()
    db.session.commit()
    if queued:
        log.info("event reminders: %s queued", queued)
        deliver_mail()


# Schedules in UTC.
PERIODIC_TASKS = (
    (crontab(), sweep_mail),  # every minute
    (crontab(minute="5"), hourly_engagement_upkeep),  # hourly
    (crontab(minute="*/5"), event_reminders),  # every five minutes: an hour's reminder is never late by more
    (crontab(hour="6", minute="0"), send_sla_digest),  # daily
)
