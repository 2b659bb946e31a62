"""The register's forms: a substance (names one a line, the first preferred; a box and a threshold per list),
a file to import, a search with list facets, and the substances a request or an expert is tagged with."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, SelectMultipleField, StringField, SubmitField, TextAreaField

from expertnet.chemicals.models import ControlList, Substance

NAME_HINT = _l("One name a line; the first is the preferred name.")


class SubstanceForm(FlaskForm):
    cas = StringField(_l("CAS number"), description=_l("For example 6484-52-2; the check digit is verified."))
    names = TextAreaField(_l("English names"), description=NAME_HINT)
    names_ar = TextAreaField(_l("Arabic names"), description=NAME_HINT)
    names_fr = TextAreaField(_l("French names"), description=NAME_HINT)
    names_es = TextAreaField(_l("Spanish names"), description=NAME_HINT)
    note = TextAreaField(_l("Curator's note"))
    submit = SubmitField(_l("Save the substance"))


def substance_form(lists: list[ControlList], locale: str, substance: Substance | None, formdata=None) -> SubstanceForm:
    """The form with a box and a threshold field per list, filled from `substance` (or the posted data)."""

    class Form(SubstanceForm):
        pass

    for control_list in lists:
        setattr(Form, f"on_{control_list.id}", BooleanField(control_list.name(locale)))
        setattr(Form, f"threshold_{control_list.id}", StringField(
            _l("Threshold on this list"), description=_l("As the list states it, e.g. 12 % w/w; empty if it sets none.")))
    data: dict = {}
    if substance is not None:
        data = {"cas": substance.cas, "note": substance.note,
                "names": "\n".join(n.name for n in _ordered(substance, "en")),
                **{f"names_{lang}": "\n".join(n.name for n in _ordered(substance, lang)) for lang in ("ar", "fr", "es")}}
        for listing in substance.listings:
            data[f"on_{listing.list_id}"] = True
            data[f"threshold_{listing.list_id}"] = listing.threshold
    return Form(formdata=formdata, data=data) if formdata is not None else Form(data=data)


def _ordered(substance: Substance, language: str):
    return sorted(substance.names_in(language), key=lambda n: (not n.is_preferred, n.id or 0))


def posted_substance(form: SubstanceForm, lists: list[ControlList]) -> dict:
    """The form's values in the schema's shape."""
    def lines(text) -> list[str]:
        return [line.strip() for line in (text or "").splitlines() if line.strip()]

    return {"cas": form.cas.data or "", "note": form.note.data or "",
            "names": {"en": lines(form.names.data), "ar": lines(form.names_ar.data),
                      "fr": lines(form.names_fr.data), "es": lines(form.names_es.data)},
            "lists": [{"code": c.code, "threshold": (form[f"threshold_{c.id}"].data or "").strip()}
                      for c in lists if form[f"on_{c.id}"].data]}


class ImportForm(FlaskForm):
    file = FileField(_l("Register file (CSV or JSON)"),
                     description=_l("CSV columns: cas, lists, en, ar, fr, es, note. Names are separated by |, "
                                    "lists by ; and a threshold follows its list after ="))
    submit = SubmitField(_l("Check and import"))


class ConfirmForm(FlaskForm):
    submit = SubmitField(_l("Confirm"))


class TagForm(FlaskForm):
    substances = SelectMultipleField(_l("Substances"), coerce=int, validate_choice=False,
                                        description=_l("Filter the list by name or CAS number."))
    submit = SubmitField(_l("Save the tags"))
