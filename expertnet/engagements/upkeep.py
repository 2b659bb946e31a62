"""The engagements' hourly upkeep, shared by the job engine's task and the cron command."""
from dataclasses import dataclass

from expertnet.engagements.need_to_know import end_lapsed_access
from expertnet.engagements.services import expire_invitations, send_invitation_reminders


@dataclass(frozen=True)
class UpkeepCounts:
    expired: int
    reminded: int
    lapsed: int

    def __str__(self) -> str:
        return (f"{self.expired} invitations expired, {self.reminded} reminders queued, "
                f"{self.lapsed} closed engagements' read-only access ended")


def expire_remind_and_end_lapsed_access() -> UpkeepCounts:
    """Expire overdue invitations, remind experts whose deadline is near, and record the end of read-only
    access to engagements closed longer ago than DETAIL_ACCESS_AFTER_CLOSE_DAYS. Flushes; the caller commits."""
    return UpkeepCounts(expired=len(expire_invitations()), reminded=send_invitation_reminders(),
                        lapsed=end_lapsed_access())
