"""import_data / export_data: all or nothing, idempotent, round trip, every general rule."""

import datetime
import zipfile

import pytest
from django.core.management import CommandError, call_command

from opstap.clients.models import Client, IncomeRight
from opstap.core.models import AuditEntry, Centre, Office
from opstap.factories import ClientFactory

from .conftest import CLIENTS_HEADER, folder_bytes, zip_of

pytestmark = pytest.mark.django_db


def run_import(path, centre="gent", *extra):
    """Run import_data; return (stdout, stderr, exit status)."""
    import io

    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import_data", str(path), "--centre", centre, *extra, stdout=out, stderr=err)
        status = 0
    except CommandError as exc:
        err.write(str(exc))
        status = exc.returncode
    return out.getvalue(), err.getvalue(), status


def clients_csv(*rows: str, header: str = CLIENTS_HEADER) -> str:
    return "\n".join([header, *rows]) + "\n"


def test_import_then_export_gives_the_same_bytes(centre, basic_folder, tmp_path):
    out, err, status = run_import(basic_folder)
    assert status == 0, err
    assert "clients.csv: 5 created" in out
    call_command("export_data", str(tmp_path / "out"), "--centre", "gent")
    exported = folder_bytes(tmp_path / "out")
    for name, content in folder_bytes(basic_folder).items():
        assert exported[name] == content, name


def test_imported_values_land_in_the_dossier(centre, basic_folder):
    run_import(basic_folder)
    fatima = Client.objects.get(centre=centre, ref="K-0001")
    assert (fatima.last_name, fatima.insz, fatima.language) == ("Janssens", "85073003328", "fr")
    assert fatima.birth_date == datetime.date(1985, 7, 30)
    assert fatima.office.name == "Wijkcentrum Noord"
    assert fatima.household == "single_with_children"
    assert Client.objects.get(ref="K-0002").office is None
    assert Client.objects.get(ref="K-0010").language == ""  # empty cell: no value
    assert list(fatima.rights.order_by("start_date").values_list("kind", "end_date")) == [
        ("leefloon", datetime.date(2019, 12, 31)),
        ("equivalent_leefloon", datetime.date(2020, 6, 30)),
        ("leefloon", None),
    ]
    assert set(Office.objects.filter(centre=centre).values_list("name", flat=True)) == {
        "Wijkcentrum Noord",
        "Wijkcentrum Zuid",
    }
    assert set(IncomeRight.objects.values_list("centre_id", flat=True)) == {centre.pk}


def test_second_import_changes_nothing(centre, basic_folder):
    run_import(basic_folder)
    stamps = dict(Client.objects.values_list("ref", "updated_at"))
    audit_before = AuditEntry.objects.count()
    out, err, status = run_import(basic_folder)
    assert status == 0, err
    assert "clients.csv: 0 created, 0 updated, 5 unchanged" in out
    assert "rights.csv: 0 created, 0 updated, 5 unchanged" in out
    assert dict(Client.objects.values_list("ref", "updated_at")) == stamps
    assert IncomeRight.objects.count() == 5
    # Only the one entry of the run itself, no entry per row.
    assert AuditEntry.objects.count() == audit_before + 1


def test_existing_ref_is_updated_and_absent_records_left_alone(centre, make_folder):
    kept = ClientFactory(centre=centre, ref="OLD", last_name="Kept")
    ClientFactory(centre=centre, ref="K1", last_name="Before", birth_date=datetime.date(1980, 1, 1))
    folder = make_folder({"clients.csv": clients_csv("K1,After,Ann,1980-01-01,F,,nl,,,")})
    out, err, status = run_import(folder)
    assert status == 0, err
    assert "clients.csv: 0 created, 1 updated, 0 unchanged" in out
    assert Client.objects.get(ref="K1").last_name == "After"
    assert Client.objects.get(pk=kept.pk).last_name == "Kept"


def test_absent_optional_column_keeps_the_stored_value(centre, make_folder):
    ClientFactory(centre=centre, ref="K1", language="fr", birth_date=datetime.date(1980, 1, 1))
    folder = make_folder(
        {
            "clients.csv": "client_ref,last_name,first_name,birth_date\n"
            "K1,Aerts,Ann,1980-01-01\nK2,Boon,Bart,1981-01-01\n"
        }
    )
    assert run_import(folder)[2] == 0
    assert Client.objects.get(ref="K1").language == "fr"
    assert Client.objects.get(ref="K2").language == "nl"  # the field's default for a new dossier


def test_errors_in_several_files_are_all_listed_and_nothing_is_written(centre, make_folder):
    folder = make_folder(
        {
            "clients.csv": clients_csv(
                "K1,Aerts,Ann,1980-02-30,F,,nl,,,Noord",
                "K2,,Bart,1981-01-01,Q,,nl,,,",
                "K3,Claes,Cas,1982-01-01,M,12345678901,nl,D1,,",
            ),
            "rights.csv": "client_ref,kind,start_date,end_date\n"
            "K9,leefloon,2020-01-01,\n"
            "K3,leefloon,2020-05-01,2020-01-01\n",
        }
    )
    out, err, status = run_import(folder)
    assert status == 1
    for expected in [
        "clients.csv, line 2, column birth_date, value '1980-02-30'",
        "clients.csv, line 3, column last_name",
        "clients.csv, line 3, column gender, value 'Q'",
        "clients.csv, line 4, column insz, value '12345678901'",
        "clients.csv, line 4, column dutch_level, value 'D1'",
        "rights.csv, line 2, column client_ref, value 'K9'",
        "rights.csv, line 3, column end_date, value '2020-01-01'",
        "7 error(s) found; nothing was imported.",
    ]:
        assert expected in err
    assert not Client.objects.exists()
    assert not Office.objects.exists()
    assert not AuditEntry.objects.filter(action="interchange.imported").exists()


def test_errors_in_a_later_file_roll_back_the_earlier_files(centre, make_folder):
    folder = make_folder(
        {
            "clients.csv": clients_csv("K1,Aerts,Ann,1980-01-01,F,,nl,,,Noord"),
            "rights.csv": "client_ref,kind,start_date,end_date\nK1,pension,2020-01-01,\n",
        }
    )
    out, err, status = run_import(folder)
    assert status == 1
    assert "rights.csv, line 2, column kind, value 'pension'" in err
    assert not Client.objects.exists() and not Office.objects.exists()


CLIENT_ROW_ERRORS = [
    ("K1,Aerts,Ann,1980-01-01,F,85073003329,nl,,,", "insz", "check digits"),
    ("K1,Aerts,Ann,1980-01-01,F,8507300332,nl,,,", "insz", "11 digits"),
    ("K1,Aerts,Ann,1980-01-01,W,,nl,,,", "gender", "Unknown code"),
    ("K1,Aerts,Ann,1980-01-01,F,,dutch,,,", "language", "ISO 639-1"),
    ("K1,Aerts,Ann,1980-01-01,F,,zz,,,", "language", "ISO 639-1"),
    ("K1,Aerts,Ann,1980-01-01,F,,nl,B3,,", "dutch_level", "Unknown code"),
    ("K1,Aerts,Ann,1980-01-01,F,,nl,,alone,", "household", "Unknown code"),
    ("K1,Aerts,Ann,01/02/1980,F,,nl,,,", "birth_date", "YYYY-MM-DD"),
    ("K1,Aerts,Ann,1980-13-01,F,,nl,,,", "birth_date", "does not exist"),
    ("K1,Aerts,Ann,2999-01-01,F,,nl,,,", "birth_date", "future"),
    ("K1,Aerts,Ann,1850-01-01,F,,nl,,,", "birth_date", "before 1900"),
    ("K1,Aerts,Ann,,F,,nl,,,", "birth_date", "required"),
    (",Aerts,Ann,1980-01-01,F,,nl,,,", "client_ref", "required"),
    ("K" * 65 + ",Aerts,Ann,1980-01-01,F,,nl,,,", "client_ref", "at most 64"),
    ("K1," + "A" * 101 + ",Ann,1980-01-01,F,,nl,,,", "last_name", "too long"),
    ("K1,Aerts,Ann,1980-01-01,F,,nl,,," + "O" * 121, "office", "too long"),
]


@pytest.mark.parametrize(("row", "column", "message"), CLIENT_ROW_ERRORS)
def test_each_client_rule(centre, make_folder, row, column, message):
    out, err, status = run_import(make_folder({"clients.csv": clients_csv(row)}))
    assert status == 1
    assert f"clients.csv, line 2, column {column}" in err
    assert message in err
    assert not Client.objects.exists()


def test_insz_with_separators_is_accepted(centre, make_folder):
    folder = make_folder(
        {"clients.csv": clients_csv("K1,Aerts,Ann,1985-07-30,F,85.07.30-033.28,,,,")}
    )
    assert run_import(folder)[2] == 0
    assert Client.objects.get().insz == "85073003328"


def test_duplicate_ref_in_the_file(centre, make_folder):
    folder = make_folder(
        {
            "clients.csv": clients_csv(
                "K1,Aerts,Ann,1980-01-01,F,,nl,,,", "K1,Boon,Bart,1981-01-01,M,,nl,,,"
            )
        }
    )
    out, err, status = run_import(folder)
    assert status == 1
    assert "line 3, column client_ref, value 'K1': This reference is already used on line 2" in err


def test_duplicate_insz_in_the_file(centre, make_folder):
    folder = make_folder(
        {
            "clients.csv": clients_csv(
                "K1,Aerts,Ann,1985-07-30,F,85073003328,nl,,,",
                "K2,Boon,Bart,1985-07-30,M,85.07.30-033.28,nl,,,",
            )
        }
    )
    out, err, status = run_import(folder)
    assert status == 1
    assert "line 3, column insz" in err and "already used on line 2" in err


def test_insz_of_another_stored_client(centre, make_folder):
    ClientFactory(centre=centre, ref="OLD", insz="85073003328")
    folder = make_folder({"clients.csv": clients_csv("K1,Aerts,Ann,1985-07-30,F,85073003328,,,,")})
    out, err, status = run_import(folder)
    assert status == 1
    assert "already belongs to client OLD" in err


def test_insz_of_another_centre_is_no_conflict(centre, other_centre, make_folder):
    ClientFactory(centre=other_centre, ref="K1", insz="85073003328")
    folder = make_folder({"clients.csv": clients_csv("K1,Aerts,Ann,1985-07-30,F,85073003328,,,,")})
    assert run_import(folder)[2] == 0
    assert Client.objects.filter(insz="85073003328").count() == 2


def test_office_is_created_once_and_reused(centre, office, make_folder):
    folder = make_folder(
        {
            "clients.csv": clients_csv(
                "K1,Aerts,Ann,1980-01-01,F,,nl,,,Wijkcentrum Noord",
                "K2,Boon,Bart,1981-01-01,M,,nl,,,Wijkcentrum Oost",
                "K3,Claes,Cas,1982-01-01,M,,nl,,,Wijkcentrum Oost",
            )
        }
    )
    assert run_import(folder)[2] == 0
    assert Client.objects.get(ref="K1").office == office
    assert Office.objects.filter(centre=centre, name="Wijkcentrum Oost").count() == 1


RIGHTS_HEADER = "client_ref,kind,start_date,end_date"


def rights_folder(make_folder, *rows):
    return make_folder(
        {
            "clients.csv": clients_csv("K1,Aerts,Ann,1980-01-01,F,,nl,,,"),
            "rights.csv": "\n".join([RIGHTS_HEADER, *rows]) + "\n",
        }
    )


@pytest.mark.parametrize(
    ("rows", "where", "message"),
    [
        (["K1,wage,2020-01-01,"], "line 2, column kind", "Unknown code"),
        (["K1,leefloon,2020-01-01,2019-12-31"], "line 2, column end_date", "before the start"),
        (["K2,leefloon,2020-01-01,"], "line 2, column client_ref", "No client"),
        (
            ["K1,leefloon,2020-01-01,2020-12-31", "K1,leefloon,2020-12-31,"],
            "line 3, column start_date",
            "overlaps another right of this client (2020-01-01 to 2020-12-31, line 2)",
        ),
        (
            ["K1,leefloon,2021-01-01,", "K1,leefloon,2020-01-01,"],
            "line 2, column start_date",
            "overlaps another right of this client (2020-01-01 to open end, line 3)",
        ),
        (
            ["K1,leefloon,2020-01-01,", "K1,equivalent_leefloon,2020-01-01,"],
            "line 3, column start_date",
            "already has a right starting on this date on line 2",
        ),
        ([",leefloon,2020-01-01,"], "line 2, column client_ref", "required"),
        (["K1,leefloon,,"], "line 2, column start_date", "required"),
    ],
)
def test_each_right_rule(centre, make_folder, rows, where, message):
    out, err, status = run_import(rights_folder(make_folder, *rows))
    assert status == 1
    assert f"rights.csv, {where}" in err
    assert message in err
    assert not IncomeRight.objects.exists()


def test_rights_must_not_overlap_stored_rights(centre, make_folder):
    client = ClientFactory(centre=centre, ref="K1", birth_date=datetime.date(1980, 1, 1))
    IncomeRight.objects.create(client=client, kind="leefloon", start_date=datetime.date(2020, 1, 1))
    out, err, status = run_import(rights_folder(make_folder, "K1,leefloon,2021-01-01,"))
    assert status == 1
    assert (
        "overlaps another right of this client (2020-01-01 to open end, already in Opstap)" in err
    )


def test_right_with_same_client_and_start_is_updated(centre, make_folder):
    client = ClientFactory(centre=centre, ref="K1", birth_date=datetime.date(1980, 1, 1))
    right = IncomeRight.objects.create(
        client=client, kind="leefloon", start_date=datetime.date(2020, 1, 1)
    )
    out, err, status = run_import(rights_folder(make_folder, "K1,leefloon,2020-01-01,2020-12-31"))
    assert status == 0, err
    assert "rights.csv: 0 created, 1 updated, 0 unchanged" in out
    right.refresh_from_db()
    assert right.end_date == datetime.date(2020, 12, 31)
    assert IncomeRight.objects.count() == 1


def test_rights_may_refer_to_stored_clients_only(centre, make_folder):
    ClientFactory(centre=centre, ref="OLD", birth_date=datetime.date(1980, 1, 1))
    folder = make_folder(
        {
            "clients.csv": clients_csv(),
            "rights.csv": f"{RIGHTS_HEADER}\nOLD,leefloon,2020-01-01,\n",
        }
    )
    out, err, status = run_import(folder)
    assert status == 0, err
    assert IncomeRight.objects.get().client.ref == "OLD"


def test_unknown_and_missing_columns(centre, make_folder):
    folder = make_folder(
        {"clients.csv": "client_ref,last_name,frist_name,birth_date\nK1,Aerts,Ann,1980-01-01\n"}
    )
    out, err, status = run_import(folder)
    assert status == 1
    assert "line 1, column frist_name, value 'frist_name': Unknown column" in err
    assert "Did you mean first_name?" in err
    assert "line 1, column first_name: This required column is missing." in err


def test_upper_case_column_name_is_unknown(centre, make_folder):
    folder = make_folder(
        {"clients.csv": clients_csv(header=CLIENTS_HEADER.replace("insz", "INSZ"))}
    )
    assert "column INSZ, value 'INSZ': Unknown column" in run_import(folder)[1]


def test_column_order_is_free(centre, make_folder):
    folder = make_folder(
        {"clients.csv": "birth_date,first_name,client_ref,last_name\n1980-01-01,Ann,K1,Aerts\n"}
    )
    assert run_import(folder)[2] == 0
    assert Client.objects.get(ref="K1").first_name == "Ann"


def test_bom_and_crlf_are_accepted(centre, basic_folder, make_folder):
    files = {
        name: b"\xef\xbb\xbf" + content.replace(b"\n", b"\r\n")
        for name, content in folder_bytes(basic_folder).items()
    }
    out, err, status = run_import(make_folder(files))
    assert status == 0, err
    assert Client.objects.get(ref='K 0004 "quoted"').last_name == "Peeters"
    assert Client.objects.count() == 5 and IncomeRight.objects.count() == 5


def test_multiline_cell_keeps_line_numbers_right(centre, make_folder):
    folder = make_folder(
        {
            "clients.csv": clients_csv(
                'K1,"Aerts\nand more",Ann,1980-01-01,F,,nl,,,', "K2,Boon,Bart,1981-01-01,Q,,nl,,,"
            )
        }
    )
    assert "clients.csv, line 4, column gender" in run_import(folder)[1]


def test_file_that_is_not_utf8(centre, make_folder):
    content = clients_csv("K1,Müller,Ann,1980-01-01,F,,nl,,,").encode("latin-1")
    out, err, status = run_import(make_folder({"clients.csv": content}))
    assert status == 1
    assert "clients.csv, line 2: This file is not UTF-8 text" in err


def test_row_with_wrong_number_of_cells(centre, make_folder):
    folder = make_folder({"clients.csv": clients_csv("K1,Aerts,Ann,1980-01-01")})
    assert "line 2: This row has 4 cells but the header has 10 columns." in run_import(folder)[1]


def test_clients_csv_is_required(centre, make_folder):
    folder = make_folder({"rights.csv": f"{RIGHTS_HEADER}\n"})
    out, err, status = run_import(folder)
    assert status == 1
    assert "clients.csv: This file is missing" in err


def test_unknown_file_is_an_error(centre, make_folder):
    folder = make_folder({"clients.csv": clients_csv(), "client_rights.csv": "x\n"})
    assert "client_rights.csv: Opstap does not know this file." in run_import(folder)[1]


def test_dry_run_writes_nothing(centre, basic_folder):
    out, err, status = run_import(basic_folder, "gent", "--dry-run")
    assert status == 0, err
    assert "clients.csv: 5 created" in out
    assert "nothing was written" in out
    assert not Client.objects.exists() and not Office.objects.exists()
    assert not AuditEntry.objects.exists()


def test_dry_run_reports_errors(centre, make_folder):
    folder = make_folder({"clients.csv": clients_csv("K1,Aerts,Ann,1980-01-01,Q,,nl,,,")})
    out, err, status = run_import(folder, "gent", "--dry-run")
    assert status == 1 and "column gender" in err


def test_create_makes_the_centre(db, basic_folder):
    out, err, status = run_import(basic_folder, "leuven", "--create")
    assert status == 0, err
    centre = Centre.objects.get(code="leuven")
    assert centre.name == "leuven"
    assert Client.objects.filter(centre=centre).count() == 5


def test_unknown_centre_without_create(db, basic_folder):
    out, err, status = run_import(basic_folder, "leuven")
    assert status == 1 and "--create" in err
    assert not Centre.objects.filter(code="leuven").exists()


def test_create_with_errors_creates_no_centre(db, make_folder):
    folder = make_folder({"clients.csv": clients_csv("K1,Aerts,Ann,1980-01-01,Q,,nl,,,")})
    assert run_import(folder, "leuven", "--create")[2] == 1
    assert not Centre.objects.filter(code="leuven").exists()


@pytest.mark.parametrize("prefix", ["", "export/"])
def test_zip_input(centre, basic_folder, tmp_path, prefix):
    path = tmp_path / "data.zip"
    path.write_bytes(zip_of(folder_bytes(basic_folder), prefix=prefix))
    out, err, status = run_import(path)
    assert status == 0, err
    assert Client.objects.count() == 5


def test_not_a_zip(centre, tmp_path):
    path = tmp_path / "data.zip"
    path.write_bytes(b"this is no zip")
    out, err, status = run_import(path)
    assert status == 1 and "This is not a zip file." in err


def test_export_to_zip_round_trips(centre, basic_folder, tmp_path):
    run_import(basic_folder)
    call_command("export_data", str(tmp_path / "out.zip"), "--centre", "gent")
    with zipfile.ZipFile(tmp_path / "out.zip") as archive:
        assert archive.read("clients.csv") == (basic_folder / "clients.csv").read_bytes()
        assert archive.read("rights.csv") == (basic_folder / "rights.csv").read_bytes()
    # Exported zip imports into another centre and exports the same files again.
    out, err, status = run_import(tmp_path / "out.zip", "leuven", "--create")
    assert status == 0, err
    call_command("export_data", str(tmp_path / "again"), "--centre", "leuven")
    assert folder_bytes(tmp_path / "again")["clients.csv"] == archive_bytes(tmp_path / "out.zip")


def archive_bytes(path):
    with zipfile.ZipFile(path) as archive:
        return archive.read("clients.csv")


def test_audit_entries_for_import_and_export(centre, basic_folder, tmp_path):
    run_import(basic_folder)
    entry = AuditEntry.objects.get(action="interchange.imported")
    assert entry.centre == centre
    assert entry.changes["clients.csv"] == {"created": 5, "updated": 0, "unchanged": 0}
    assert entry.changes["rights.csv"]["created"] == 5
    call_command("export_data", str(tmp_path / "out"), "--centre", "gent")
    exported = AuditEntry.objects.get(action="interchange.exported")
    assert exported.changes["clients.csv"] == {"rows": 5}


def test_export_of_other_centre_is_separate(centre, other_centre, basic_folder, tmp_path):
    run_import(basic_folder)
    ClientFactory(centre=other_centre, ref="ZZZ")
    call_command("export_data", str(tmp_path / "out"), "--centre", "gent")
    assert b"ZZZ" not in (tmp_path / "out" / "clients.csv").read_bytes()


def test_two_thousand_clients_in_a_bounded_number_of_queries(
    centre, make_folder, django_assert_max_num_queries
):
    from opstap.clients.validators import make_insz
    from opstap.interchange.engine import import_files

    lines, rights = [], []
    for n in range(2000):
        born = datetime.date(1960, 1, 1) + datetime.timedelta(days=n * 7)
        lines.append(
            f"K{n:05d},Name{n},First,{born},F,{make_insz(born, n)},nl,A1,single,Office {n % 7}"
        )
        rights.append(f"K{n:05d},leefloon,2020-01-01,")
    files = {
        "clients.csv": clients_csv(*lines).encode(),
        "rights.csv": ("\n".join([RIGHTS_HEADER, *rights]) + "\n").encode(),
    }
    with django_assert_max_num_queries(60):
        result = import_files(files=files, centre=centre)
    assert result.ok, result.errors[:3]
    assert Client.objects.filter(centre=centre).count() == 2000
    assert IncomeRight.objects.count() == 2000
    with django_assert_max_num_queries(20):
        again = import_files(files=files, centre=centre)
    assert again.summary()["clients.csv"] == {"created": 0, "updated": 0, "unchanged": 2000}
