"""The expert's own data as one JSON document (their right to a copy): the profile, and the sections that
features above experts register at app start (engagements adds invitations and engagements)."""
from collections.abc import Callable

from flask import Flask, current_app

from expertnet.db import utcnow
from expertnet.experts.models import ExpertProfile
from expertnet.experts.schemas import ProfileOut

OWN_DATA = "expertnet.own_data"  # the app.extensions key: section name -> collect(profile)


def register_own_data(app: Flask, section: str, collect: Callable[[ExpertProfile], list]) -> None:
    app.extensions.setdefault(OWN_DATA, {})[section] = collect


def export_own_data(profile: ExpertProfile) -> dict:
    sections = current_app.extensions.get(OWN_DATA, {})
    return {"exported_at": utcnow().isoformat(), "profile": ProfileOut().dump(profile),
            **{section: collect(profile) for section, collect in sections.items()}}
