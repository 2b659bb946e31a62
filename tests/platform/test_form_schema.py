"""load_form: a form's data is validated once, by its marshmallow schema, and the refusals land on the form's
fields (rows of a list included) or on the form itself, as WTForms errors would."""
import pytest
from flask_wtf import FlaskForm
from marshmallow import EXCLUDE, RAISE, Schema, ValidationError, fields, validate, validates_schema
from werkzeug.datastructures import MultiDict
from wtforms import FieldList, Form, FormField, IntegerField, StringField

from expertnet.form_schema import FieldMarks, load_form


class RowIn(Schema):
    name = fields.String(required=True, validate=validate.Length(max=5))


class ThingIn(Schema):
    class Meta:
        unknown = RAISE

    title = fields.String(required=True, validate=validate.Length(min=3))
    count = fields.Integer(strict=True, load_default=1, validate=validate.Range(min=1, max=3))
    rows = fields.List(fields.Nested(RowIn), load_default=list)

    @validates_schema
    def _not_both(self, data, **_kwargs):
        if data.get("title") == "both":
            raise ValidationError("Not both at once.")


class Row(Form):
    name = StringField()


class ThingForm(FlaskForm):
    title = StringField(validators=[FieldMarks(required=True, maxlength=200)])
    count = IntegerField(validators=[FieldMarks(min=1, max=3)])
    rows = FieldList(FormField(Row))


@pytest.fixture
def form_for(app):
    def build(**data):
        with app.test_request_context(method="POST", data=MultiDict(data)):
            return ThingForm()
    return build


def test_valid_data_is_the_schemas_load(form_for):
    assert load_form(form_for(title="A thing", count="2"), ThingIn()) == {"title": "A thing", "count": 2, "rows": []}


def test_field_messages_land_on_their_fields(form_for):
    form = form_for(title="ab", count="7")
    assert load_form(form, ThingIn()) is None
    assert form.title.errors == ["Shorter than minimum length 3."]
    assert form.count.errors == ["Must be greater than or equal to 1 and less than or equal to 3."]
    assert form.form_errors == []


def test_text_that_is_not_a_number_is_refused_by_the_schema_not_by_wtforms(form_for):
    form = form_for(title="A thing", count="two")
    assert load_form(form, ThingIn()) is None
    assert form.count.errors == ["Not a valid integer."]


def test_a_blank_field_is_left_to_the_schemas_default(form_for):
    assert load_form(form_for(title="A thing", count=""), ThingIn())["count"] == 1


def test_row_messages_land_on_the_form_row_they_came_from(form_for):
    form = form_for(**{"title": "A thing", "rows-0-name": "", "rows-1-name": "", "rows-2-name": "too long"})
    payload = {"title": "A thing", "rows": [{"name": "too long"}]}  # blank rows are not sent
    assert load_form(form, ThingIn(), payload, {"rows": {0: 2}}) is None
    assert form.rows.entries[2].form.name.errors == ["Longer than maximum length 5."]
    assert form.rows.entries[0].form.name.errors == ()


def test_form_level_messages_go_to_the_form(form_for):
    form = form_for(title="both")
    assert load_form(form, ThingIn()) is None
    assert form.form_errors == ["Not both at once."]
    assert list(form.errors.values()) == [["Not both at once."]]  # so the page's banner shows


def test_unknown_fields_are_refused_by_a_strict_schema_and_ignored_by_a_lenient_one(form_for):
    form = form_for(title="A thing")
    assert load_form(form, ThingIn(), {"title": "A thing", "surprise": 1}) is None
    assert form.form_errors == ["Unknown field."]
    assert load_form(form_for(title="A thing"), ThingIn(unknown=EXCLUDE), {"title": "A thing", "surprise": 1}) == {
        "title": "A thing", "count": 1, "rows": []}


def test_explain_replaces_the_schemas_words_with_the_pages_help(form_for):
    form = form_for(title="ab")
    assert load_form(form, ThingIn(), explain=lambda name: f"Help for {name}.") is None
    assert form.title.errors == ["Help for title."]


def test_a_bad_csrf_token_stops_before_the_schema(app, form_for):
    app.config["WTF_CSRF_ENABLED"] = True
    form = form_for(title="ab")
    assert load_form(form, ThingIn()) is None
    assert form.csrf_token.errors and form.title.errors == ()


def test_field_marks_render_as_html_attributes_and_check_nothing(form_for):
    form = form_for(title="")
    assert form.title.flags.required and 'maxlength="200"' in form.title() and "required" in form.title()
    assert 'min="1"' in form.count() and 'max="3"' in form.count()
    assert form.validate() and form.title.errors == []
