"""The one schema a substance is validated by, from the edit page and from an imported file's rows alike."""
from flask_babel import lazy_gettext as _l
from marshmallow import (EXCLUDE, Schema, ValidationError, fields, post_load, pre_load, validate, validates,
                         validates_schema)

from expertnet.chemicals.cas import normalise_cas
from expertnet.chemicals.models import NAME_LANGUAGES
from expertnet.chemicals.names import name_key

MAX_NAME = 200


class ListingSchema(Schema):
    code = fields.String(required=True, validate=validate.Length(min=1, max=40))
    threshold = fields.String(load_default="", validate=validate.Length(max=200))


class SubstanceSchema(Schema):
    """`names`: language -> names, the first one preferred; `lists`: the lists it is on, known codes only
    (`list_codes`)."""

    class Meta:
        unknown = EXCLUDE

    cas = fields.String(required=True, error_messages={"required": _l("Give the CAS number.")})
    names = fields.Dict(keys=fields.String(validate=validate.OneOf(NAME_LANGUAGES)),
                        values=fields.List(fields.String(validate=validate.Length(min=1, max=MAX_NAME))),
                        required=True)
    lists = fields.List(fields.Nested(ListingSchema), load_default=list)
    note = fields.String(load_default="", validate=validate.Length(max=2000))

    def __init__(self, list_codes=None, **kwargs):
        super().__init__(**kwargs)
        self.list_codes = set(list_codes) if list_codes is not None else None

    @pre_load
    def strip_names(self, data, **_kwargs):
        names = data.get("names")
        if isinstance(names, dict):
            data = {**data, "names": {language: [str(n).strip() for n in values if str(n).strip()]
                                      for language, values in names.items() if isinstance(values, list)}}
        return data

    @validates("cas")
    def check_cas(self, value: str, **_kwargs) -> None:
        if normalise_cas(value) is None:
            raise ValidationError(str(_l("“%(cas)s” is not a CAS number: its check digit does not match.", cas=value)))

    @validates_schema(skip_on_field_errors=False)  # a wrong CAS number and a missing name are both shown
    def check_names_and_lists(self, data, **_kwargs) -> None:
        names = data.get("names") or {}
        if not names.get("en"):
            raise ValidationError(str(_l("Give at least the English name.")), "names")
        for language, values in names.items():
            keys = [name_key(n) for n in values]
            twice = sorted({n for n, k in zip(values, keys) if keys.count(k) > 1})
            if twice:
                raise ValidationError(str(_l("The name “%(name)s” is given twice.", name=twice[0])), "names")
        known = self.list_codes
        codes = [entry["code"] for entry in data.get("lists") or []]
        for code in codes:
            if known is not None and code not in known:
                raise ValidationError(str(_l("“%(code)s” is not a list of the register.", code=code)), "lists")
        if len(set(codes)) != len(codes):
            raise ValidationError(str(_l("A list is named twice.")), "lists")

    @post_load
    def normalise(self, data, **_kwargs):
        return {**data, "cas": normalise_cas(data["cas"])}


class TagSchema(Schema):
    """The substances a request or an expert is tagged with (ids; the service checks they are live)."""

    substances = fields.List(fields.Integer(strict=True), load_default=list)
