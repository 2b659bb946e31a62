"""Sensitivity vocabulary shared by every feature that holds labelled content (requests, attachments, and
the hub items to come): a floor below the features, so none of them imports another just for a label."""
import enum


class Tlp(str, enum.Enum):
    """Traffic Light Protocol 2.0 labels, least to most restricted."""

    CLEAR = "TLP:CLEAR"
    GREEN = "TLP:GREEN"
    AMBER = "TLP:AMBER"
    AMBER_STRICT = "TLP:AMBER+STRICT"
    RED = "TLP:RED"


class Access(enum.IntEnum):
    """How much of a labelled item an expert may see under need-to-know, least to most."""

    NONE = 0
    SUMMARY = 1
    READ_ONLY = 2
    FULL = 3
