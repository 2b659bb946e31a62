"""The register's lists, and substances made through the curation service."""
import sqlalchemy as sa

from expertnet.chemicals import files, services
from expertnet.chemicals.models import ControlList
from expertnet.extensions import db


def ensure_lists() -> None:
    if not db.session.scalar(sa.select(sa.func.count(ControlList.id))):
        services.load_lists(files.bundled_lists())
        db.session.commit()


def make_substance(cas: str = "6484-52-2", en=("Ammonium nitrate",), ar=("نترات الأمونيوم",), fr=("nitrate d'ammonium",),
                   es=("nitrato de amonio",), lists=({"code": "eu-2019-1148-i", "threshold": "16 % N"},), actor=None):
    ensure_lists()
    data = services.validated({"cas": cas, "names": {"en": list(en), "ar": list(ar), "fr": list(fr), "es": list(es)},
                               "lists": list(lists)})
    substance = services.save_substance(actor, None, data)
    db.session.commit()
    return substance


def seed_register() -> None:
    ensure_lists()
    services.import_substances(None, files.bundled_substances())
    db.session.commit()
