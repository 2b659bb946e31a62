"""Validation once: a page's form is checked by the same marshmallow schema the API and the CSV import load, and
WTForms only renders the fields and checks the CSRF token. The schema's refusals are put back on the form's fields
so a page shows them inline, tied to the field for screen readers, exactly as a WTForms error would be."""
from collections.abc import Callable, Mapping

from marshmallow import Schema, ValidationError, fields, validate
from wtforms import Field, FieldList
from wtforms.form import BaseForm


class FieldMarks:
    """Marks a field for the reader and the browser (`required`, `maxlength`, `min`/`max`) and checks nothing:
    in WTForms a validator's `field_flags` become the asterisk and the HTML attributes; the schema decides."""

    def __init__(self, **flags):
        self.field_flags = flags

    def __call__(self, form, field) -> None:
        """Nothing to check here."""


def mark_max_lengths(form: BaseForm, schema: Schema) -> None:
    """Mark each of the form's fields with the longest text its schema field accepts (`flags.maxlength`), so the
    page can say the limit and count towards it (the `field` macro); the schema refuses what is longer, on the
    field (`flags.schema_limit`: a long text field then lets the browser take more, see the macro)."""
    for name, schema_field in schema.fields.items():
        if not isinstance(schema_field, fields.String):
            continue
        limits = [v.max for v in schema_field.validators if isinstance(v, validate.Length) and v.max is not None]
        if limits and name in form:
            form[name].flags.maxlength = min(limits)
            form[name].flags.schema_limit = True


def submitted_value(field: Field):
    """What the user sent: the field's value, or the text as typed when WTForms could not read it as a number
    or a date, so the schema refuses it in its own words. A field left blank has no value (None)."""
    typed = [text for text in field.raw_data or () if str(text).strip()]
    if field.process_errors and typed:
        return typed[0] if len(field.raw_data) == 1 else typed
    return field.data


def form_data(form: BaseForm, schema: Schema) -> dict:
    """The schema's fields as submitted; a field left empty is left out, so the schema's default applies."""
    values = {name: submitted_value(form[name]) for name in schema.fields if name in form}
    return {name: value for name, value in values.items() if value is not None}


def load_form(form: BaseForm, schema: Schema, data: Mapping | None = None, rows: Mapping | None = None, *,
              explain: Callable[[str], str] | None = None) -> dict | None:
    """The schema's load of a submitted form, or None with the refusals on the form.

    `data` is the form's values in the schema's shape (default: `form_data`); `rows` maps, per list of rows, the
    payload's row index to the form's (blank rows are not sent); `explain(name)`, when given, replaces the
    schema's words for a field with the page's own help for it.
    """
    csrf_token = getattr(form, "csrf_token", None)  # Flask-WTF adds it when CSRF protection is on
    if csrf_token is not None and not csrf_token.validate(form):
        return None
    try:
        return schema.load(form_data(form, schema) if data is None else data)
    except ValidationError as exc:
        show_errors(form, exc.normalized_messages(), rows or {}, explain)
        return None


def show_errors(form: BaseForm, messages: Mapping, rows: Mapping, explain: Callable[[str], str] | None) -> None:
    """Each message on its field (rows of a list included); what belongs to no field goes to the form."""
    for name, message in messages.items():
        field = form[name] if isinstance(name, str) and name in form else None
        if field is None:
            form.form_errors = list(form.form_errors) + flatten_messages(message)
        elif explain is not None:
            field.errors = list(field.errors) + [explain(name)]
        elif isinstance(field, FieldList) and isinstance(message, Mapping):
            for row_index, row_messages in message.items():
                entry = field.entries[rows.get(name, {}).get(int(row_index), 0)]
                for sub_name, sub_message in row_messages.items():
                    target = entry.form[sub_name] if sub_name in entry.form else next(iter(entry.form))
                    target.errors = list(target.errors) + flatten_messages(sub_message)
        elif isinstance(field, FieldList):
            field.list_errors = flatten_messages(message)  # about the list as a whole (a topic twice)
        else:
            field.errors = list(field.errors) + flatten_messages(message)


def flatten_messages(message) -> list[str]:
    """marshmallow's nested error messages (dicts and lists of them) as one list of texts."""
    if isinstance(message, Mapping):
        return [text for value in message.values() for text in flatten_messages(value)]
    if isinstance(message, list):
        return [text for value in message for text in flatten_messages(value)]
    return [str(message)]
