"""What features above groups add to a group's page (its requests, engagements and open gaps; its hub shelf).

Groups sit low (requests and the hub ask them for scope), so they may not import those features; each feature
registers a panel at app start instead (`app.register_upward_rules`), as requests leave experts' need-to-know to
the module above them. A panel renders its own template for one group and viewer, or gives None when the viewer
may see nothing of it."""
from collections.abc import Callable
from dataclasses import dataclass

from flask import Flask, current_app
from markupsafe import Markup

PANELS = "expertnet.group_panels"  # the app.extensions key of the registered panels


@dataclass(frozen=True)
class GroupPanel:
    name: str
    render: Callable[..., Markup | None]  # (group, viewer) -> HTML, or None: nothing for this viewer
    position: int = 50


def register_panel(app: Flask, panel: GroupPanel) -> None:
    panels = app.extensions.setdefault(PANELS, {})
    panels[panel.name] = panel


def panels_for(group, viewer) -> list[Markup]:
    panels = sorted(current_app.extensions.get(PANELS, {}).values(), key=lambda p: (p.position, p.name))
    return [html for html in (panel.render(group, viewer) for panel in panels) if html is not None]
