"""A topic picker: the taxonomy's leaves as a list of checkboxes (a 40-option multi-select is unusable)."""
from wtforms import SelectMultipleField
from wtforms.widgets import CheckboxInput, ListWidget


class TopicCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()
