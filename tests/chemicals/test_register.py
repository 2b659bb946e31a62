"""Curating the register: versions and audit rows per change, names unique per substance and flagged across
substances, the all-or-nothing import and its row errors, the CLI, and the bundled seed."""
import json

import pytest
import sqlalchemy as sa

from expertnet.accounts.models import Role
from expertnet.audit.models import AuditEvent
from expertnet.chemicals import services
from expertnet.chemicals.models import Listing, Substance, SubstanceName, SubstanceVersion
from expertnet.extensions import db
from tests.chemicals.factories import ensure_lists, make_substance, seed_register
from tests.conftest import make_user


def count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def row(cas, lists="eu-2019-1148-i=16 % N", en="Ammonium nitrate", ar="نترات الأمونيوم"):
    return {"cas": cas, "names": {"en": en.split("|"), "ar": ar.split("|")},
            "lists": [{"code": c.partition("=")[0], "threshold": c.partition("=")[2]} for c in lists.split(";") if c]}


def test_each_change_is_a_version_and_an_audit_row(app):
    admin = make_user(Role.ADMIN)
    substance = make_substance(actor=admin)
    data = services.validated(row("6484-52-2", lists="eu-2019-1148-i=16 % N;ag-cwp", en="Ammonium nitrate|AN"))
    services.save_substance(admin, substance, data)
    services.save_substance(admin, substance, data)  # the same again: no new version
    services.retire_substance(admin, substance)
    db.session.commit()
    versions = db.session.scalars(sa.select(SubstanceVersion).order_by(SubstanceVersion.number)).all()
    assert [(v.number, v.change) for v in versions] == [(1, "created"), (2, "edited"), (3, "retired")]
    assert versions[1].snapshot["names"]["en"] == ["Ammonium nitrate", "AN"]
    assert versions[1].snapshot["lists"] == [{"code": "ag-cwp", "threshold": ""},
                                             {"code": "eu-2019-1148-i", "threshold": "16 % N"}]
    actions = db.session.scalars(sa.select(AuditEvent.action).where(AuditEvent.object_type == "substance")
                                 .order_by(AuditEvent.id)).all()
    assert actions == ["substance.created", "substance.edited", "substance.retired"]
    assert all(v.actor_id == admin.id for v in versions)


def test_a_name_given_twice_for_one_substance_is_refused_and_one_name_on_two_substances_is_flagged(app):
    ensure_lists()
    with pytest.raises(Exception) as refused:
        services.validated(row("6484-52-2", en="Ammonium nitrate|AMMONIUM  nitrate"))
    assert "twice" in str(refused.value)
    make_substance()
    make_substance(cas="7757-79-1", en=("Potassium nitrate", "Saltpetre"), ar=("نترات البوتاسيوم",), fr=(), es=())
    assert services.shared_name_keys() == set()
    make_substance(cas="7631-99-4", en=("Sodium nitrate", "Saltpeter", "saltpetre"), ar=(), fr=(), es=(), lists=())
    # 'saltpetre' given twice to sodium nitrate is refused above only when spelt the same; here it is not
    assert "saltpetre" in services.shared_name_keys()


def test_an_import_with_a_bad_row_writes_nothing_and_says_which_rows(app):
    ensure_lists()
    entries = [row("6484-52-2"),
               row("6484-52-3", en="Wrong check digit"),                       # bad CAS
               row("7757-79-1", en="Potassium nitrate|potassium NITRATE"),     # a name twice
               row("7631-99-4", lists="eu-2019-1148-i;no-such-list", en="Sodium nitrate"),  # unknown list
               row("006484-52-2", en="Ammonium nitrate again"),               # the same CAS twice in the file
               {"names": {"en": ["No number"]}}]                               # CAS missing
    with pytest.raises(services.ImportRefused) as refused:
        services.import_substances(None, entries)
    db.session.rollback()
    by_row = {r.row: " ".join(r.messages) for r in refused.value.rows}
    assert sorted(by_row) == [2, 3, 4, 5, 6]
    assert "check digit" in by_row[2] and "twice" in by_row[3] and "no-such-list" in by_row[4]
    assert "6484-52-2" in by_row[5] and "row 1" in by_row[5]
    assert count(Substance) == count(SubstanceName) == count(Listing) == count(SubstanceVersion) == 0


def test_a_valid_import_creates_then_changes_only_what_changed(app):
    ensure_lists()
    first = services.import_substances(None, [row("6484-52-2"), row("7757-79-1", "eu-2019-1148-ii", "Potassium nitrate", "نترات البوتاسيوم")])
    assert (first.created, first.changed, first.unchanged) == (2, 0, 0)
    again = services.import_substances(None, [row("6484-52-2", en="Ammonium nitrate|AN"),
                                              row("7757-79-1", "eu-2019-1148-ii", "Potassium nitrate", "نترات البوتاسيوم")])
    assert (again.created, again.changed, again.unchanged) == (0, 1, 1)
    assert [v.change for v in db.session.scalars(sa.select(SubstanceVersion).join(Substance)
                                                 .where(Substance.cas == "6484-52-2").order_by(SubstanceVersion.number))] == ["imported", "imported"]


def test_the_cli_imports_a_json_file_and_refuses_a_bad_csv_with_row_errors(app, runner, tmp_path):
    good = tmp_path / "register.json"
    good.write_text(json.dumps([{"cas": "7722-84-1", "names": {"en": ["Hydrogen peroxide"], "ar": ["بيروكسيد الهيدروجين"]},
                                 "lists": ["eu-2019-1148-i=12 % w/w"]}]), encoding="utf-8")
    result = runner.invoke(args=["chemicals", "import", str(good)])
    assert result.exit_code == 0, result.output
    assert "1 created" in result.output
    bad = tmp_path / "register.csv"
    bad.write_text("cas,lists,en\n75-52-5,eu-2019-1148-i=16 % w/w,Nitromethane\n75-52-6,,Not a number\n", encoding="utf-8")
    result = runner.invoke(args=["chemicals", "import", str(bad)])
    assert result.exit_code != 0 and "row 2" in result.output
    assert db.session.scalar(sa.select(Substance.cas).where(Substance.cas == "75-52-5")) is None


def test_the_bundled_seed_holds_the_cwc_schedules_and_the_eu_annexes(app, runner):
    result = runner.invoke(args=["chemicals", "seed"])
    assert result.exit_code == 0, result.output
    listed = {(cas, code): threshold for cas, code, threshold in db.session.execute(
        sa.text("select s.cas, l.code, x.threshold from substance s join substance_listing x on x.substance_id = s.id "
                "join control_list l on l.id = x.list_id"))}
    for cas, code in [("107-44-8", "cwc-1a"), ("50782-69-9", "cwc-1a"), ("9009-86-3", "cwc-1a"), ("676-99-3", "cwc-1b"),
                      ("6581-06-2", "cwc-2a"), ("111-48-8", "cwc-2b"), ("75-44-5", "cwc-3a"), ("102-71-6", "cwc-3b"),
                      ("100-97-0", "eu-2019-1148-ii"), ("7429-90-5", "eu-2019-1148-ii")]:
        assert (cas, code) in listed
    assert listed[("7722-84-1", "eu-2019-1148-i")].startswith("12 % w/w")
    assert listed[("6484-52-2", "eu-2019-1148-i")].startswith("16 % by weight of nitrogen")
    every_language = db.session.execute(sa.text(
        "select count(*) from substance s where (select count(distinct language) from substance_name n "
        "where n.substance_id = s.id) < 4")).scalar()
    assert every_language == 0
    assert "0 created" in runner.invoke(args=["chemicals", "seed"]).output  # again: nothing new


def test_recognition_finds_substances_by_cas_number_or_any_languages_name(app):
    seed_register()
    recognised = {s.cas for s in services.recognise("Le nitrate d’ammonium et le 75-44-5 (phosgène) au port")}
    assert recognised == {"6484-52-2", "75-44-5"}
    assert {s.cas for s in services.recognise("شحنة نترات الامونيوم ورقم ٧٧٢٢-٨٤-١")} == {"6484-52-2", "7722-84-1"}
    assert {s.cas for s in services.recognise("Robo de nitrato de amonio")} == {"6484-52-2"}
    assert services.recognise("A routine customs audit") == []
