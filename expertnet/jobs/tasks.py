"""What the job engine runs. Each function runs inside an app context and commits its own work, like the
`flask mail deliver` and `flask coordination ...` commands it replaces for deployments that have no cron."""
import logging

from huey import crontab

from expertnet.coordination.digest import send_digest
from expertnet.engagements.upkeep import expire_remind_and_end_lapsed_access
from expertnet.events.reminders import send_reminders as send_event_reminders
from expertnet.experts.matcher_bridge import build_index
from expertnet.extensions import db
from expertnet.hub.search import build_hub_index as build_hub_search_index
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


def event_reminders() -> None:
    """A day and an hour before each event; idempotent (dedupe keys), so reruns and a second scheduler queue nothing."""
    queued = send_event_reminders()
    db.session.commit()
    if queued:
        log.info("event reminders: %s queued", queued)
        deliver_mail()


def build_matcher_index() -> None:
    """A build asked for by a web worker (no index yet, a taxonomy or tuning change, many changes): a no-op when
    the live build already reflects the data, so repeated asks cost one read."""
    name = build_index()
    db.session.rollback()  # read only: end the transaction
    log.info("matcher index: %s", f"build {name} is live" if name else "the live build is current")


def nightly_matcher_index() -> None:
    """The full rebuild: edits applied as updates since the last build are folded in, removed experts go."""
    name = build_index(force=True)
    db.session.rollback()
    log.info("matcher index: nightly build %s is live", name)


def build_hub_index() -> None:
    """The hub's search index, asked for after a change to the published items (or by a web worker that has none):
    a no-op when the live build already reflects them."""
    name = build_hub_search_index()
    db.session.rollback()  # read only: end the transaction
    log.info("hub index: %s", f"build {name} is live" if name else "the live build is current")


def nightly_hub_index() -> None:
    """A daily rebuild, so a change whose ask was lost (queue down) is never behind for long."""
    build_hub_index()


# Schedules in UTC.
PERIODIC_TASKS = (
    (crontab(), sweep_mail),  # every minute
    (crontab(), sweep_webhooks),  # every minute
    (crontab(minute="5"), hourly_engagement_upkeep),  # hourly
    (crontab(minute="*/5"), event_reminders),  # every five minutes: an hour's reminder is never late by more
    (crontab(hour="6", minute="0"), send_sla_digest),  # daily
    (crontab(hour="2", minute="30"), nightly_matcher_index),  # daily
    (crontab(hour="2", minute="45"), nightly_hub_index),  # daily
)
