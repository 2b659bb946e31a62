"""make_item(**overrides): a hub item with sensible defaults, moved to the wanted state through the machine."""
from expertnet.accounts.models import Role
from expertnet.hub import services
from expertnet.hub.models import ItemStatus, Kind
from expertnet.extensions import db
from expertnet.sensitivity import Tlp
from tests.conftest import make_user

PATH = {ItemStatus.DRAFT: [], ItemStatus.IN_REVIEW: [ItemStatus.IN_REVIEW],
        ItemStatus.PUBLISHED: [ItemStatus.IN_REVIEW, ItemStatus.PUBLISHED],
        ItemStatus.ARCHIVED: [ItemStatus.IN_REVIEW, ItemStatus.PUBLISHED, ItemStatus.ARCHIVED]}


def make_item(editor=None, status=ItemStatus.PUBLISHED, tlp=Tlp.GREEN, audience=(), language="en",
              title="Know-your-customer checks for precursor sales",
              summary="How retailers check buyers of explosives precursors before a sale.",
              body="Ask for identification, record the sale, report suspicious transactions.", topics=(),
              kind=Kind.GUIDANCE, files=(), **extra):
    """`files`: werkzeug FileStorages added while the item is a draft."""
    editor = editor or make_user(Role.COORDINATOR)
    data = {"kind": kind, "tlp": tlp, "language": language, "title": title, "summary": summary, "body": body,
            "topics": list(topics), "regions": [], "sectors": [], "audience": [o.id for o in audience],
            "external_url": "", "note": "", **extra}
    item = services.create_item(editor, data)
    for upload in files:
        services.add_file(editor, item, upload)
    for step in PATH[ItemStatus(status)]:
        services.move_item(editor, item, step)
    db.session.commit()
    return item
