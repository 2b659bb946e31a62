"""What the job engine runs. Each function runs inside an app context and commits its own work, like the
`flask mail deliver` and `flask coordination ...` commands it replaces for deployments that have no cron."""
import logging

from huey import crontab

from expertnet.coordination.digest import send_digest
from expertnet.engagements.upkeep import expire_remind_and_end_lapsed_access
from expertnet.extensions import db
from expertnet.notifications.services import deliver_queued
from expertnet.webhooks.delivery import deliver_due

log = logging.getLogger(__name__)


def deliver_mail() -> None:
    """Send the due messages (enqueued after each commit that queued mail)."""
    sent, failed = deliver_queued()
    if sent or failed:
        log.info("mail: %s sent, %s failed", sent, failed)


def sweep_mail() -> None:
    """The safety net: retries that came due, and mail whose enqueue was lost (queue down, worker killed)."""
    deliver_mail()


def deliver_webhooks() -> None:
    """Send the due webhook deliveries (enqueued after each commit that made some)."""
    delivered, failed = deliver_due()
    if delivered or failed:
        log.info("webhooks: %s delivered, %s failed attempts", delivered, failed)


def sweep_webhooks() -> None:
    """The safety net of webhooks: retries that came due, and deliveries made outside a web request (an hourly
    expiry, a command) or whose enqueue was lost."""
    deliver_webhooks()


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


# Schedules in UTC.
PERIODIC_TASKS = (
    (crontab(), sweep_mail),  # every minute
    (crontab(), sweep_webhooks),  # every minute
    (crontab(minute="5"), hourly_engagement_upkeep),  # hourly
    (crontab(hour="6", minute="0"), send_sla_digest),  # daily
)
