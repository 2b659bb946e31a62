"""Panels a higher feature adds to a lower feature's page (a group's page, a substance's page): the lower feature
may not import the higher one, so each higher feature registers a panel at app start (`app.register_upward_rules`)
under the page's key. A panel renders its own template for the page's object and viewer, or gives None when the
viewer may see nothing of it."""
from collections.abc import Callable
from dataclasses import dataclass

from flask import Flask, current_app
from markupsafe import Markup


@dataclass(frozen=True)
class Panel:
    name: str
    render: Callable[..., Markup | None]  # (page object, viewer) -> HTML, or None: nothing for this viewer
    position: int = 50


def register(app: Flask, key: str, panel: Panel) -> None:
    app.extensions.setdefault(key, {})[panel.name] = panel


def rendered(key: str, subject, viewer) -> list[Markup]:
    panels = sorted(current_app.extensions.get(key, {}).values(), key=lambda p: (p.position, p.name))
    return [html for html in (panel.render(subject, viewer) for panel in panels) if html is not None]
