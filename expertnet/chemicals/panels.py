"""What features above the register add to a substance's page (the hub's items tagged with it), registered at app
start through the shared `expertnet.panels` seam: the register may not import them."""
from flask import Flask
from markupsafe import Markup

from expertnet.panels import Panel, register, rendered

PANELS = "expertnet.substance_panels"


def register_panel(app: Flask, panel: Panel) -> None:
    register(app, PANELS, panel)


def panels_for(substance, viewer) -> list[Markup]:
    return rendered(PANELS, substance, viewer)
