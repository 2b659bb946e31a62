"""What features above groups add to a group's page (its requests, engagements and open gaps; its hub shelf).

Groups sit low (requests and the hub ask them for scope), so they may not import those features; each feature
registers a panel at app start instead (`app.register_upward_rules`, the shared `expertnet.panels` seam), as
requests leave experts' need-to-know to the module above them."""
from flask import Flask
from markupsafe import Markup

from expertnet.panels import Panel, register, rendered

PANELS = "expertnet.group_panels"  # the app.extensions key of the registered panels
GroupPanel = Panel


def register_panel(app: Flask, panel: Panel) -> None:
    register(app, PANELS, panel)


def panels_for(group, viewer) -> list[Markup]:
    return rendered(PANELS, group, viewer)
