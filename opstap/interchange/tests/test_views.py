"""The Import / export page: administrators only, background run, error table, export zip."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from opstap.clients.models import Client
from opstap.core.models import AuditEntry
from opstap.interchange.models import ImportRun, ImportStatus

from .conftest import folder_bytes, zip_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def as_adam(client, adam):
    # Import runs report in the administrator's own language; these tests read English.
    adam.language = "en"
    adam.save(update_fields=["language"])
    client.force_login(adam)
    return client


def upload(client, content: bytes, mode: str = "import", name: str = "data.zip"):
    return client.post(
        reverse("interchange:upload"),
        {"file": SimpleUploadedFile(name, content, "application/zip"), "mode": mode},
    )


def test_page_for_admin_with_navigation_entry(as_adam):
    response = as_adam.get(reverse("interchange:upload"))
    assert response.status_code == 200
    assert "Import / export" in response.content.decode()
    assert 'href="/interchange/"' in response.content.decode()  # the navigation entry


@pytest.mark.parametrize("name", ["alice", "carol", "maria", "pete"])
def test_not_found_for_non_admins(client, request, name):
    client.force_login(request.getfixturevalue(name))
    assert client.get(reverse("interchange:upload")).status_code == 404
    assert client.post(reverse("interchange:export")).status_code == 404
    home = client.get("/")
    assert 'href="/interchange/"' not in home.content.decode()


def test_anonymous_is_sent_to_login(client):
    response = client.get(reverse("interchange:upload"))
    assert response.status_code == 302 and "login" in response["Location"]


def test_import_happy_path(as_adam, adam, centre, basic_folder, django_assert_max_num_queries):
    response = upload(as_adam, zip_of(folder_bytes(basic_folder)))
    run = ImportRun.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("interchange:run", args=[run.pk])
    assert run.status == ImportStatus.SUCCEEDED and not run.dry_run
    assert run.actor == adam and run.centre == centre
    assert run.summary["clients.csv"] == {"created": 5, "updated": 0, "unchanged": 0}
    assert Client.objects.filter(centre=centre).count() == 5
    assert AuditEntry.objects.get(action="interchange.imported").actor == adam
    with django_assert_max_num_queries(12):
        page = as_adam.get(response["Location"]).content.decode()
    assert "The import is done." in page and "hx-get" not in page
    assert run.stored_as == ""  # the upload is deleted after a real import


def test_check_only_writes_nothing_then_imports(as_adam, centre, basic_folder, settings):
    upload(as_adam, zip_of(folder_bytes(basic_folder)), mode="check")
    run = ImportRun.objects.get()
    assert run.dry_run and run.status == ImportStatus.SUCCEEDED
    assert not Client.objects.exists()
    assert (settings.VAR_DIR / "imports" / run.stored_as).is_file()
    page = as_adam.get(reverse("interchange:run", args=[run.pk])).content.decode()
    assert "No errors found. Nothing was written yet." in page
    assert "Import these files now" in page
    response = as_adam.post(reverse("interchange:run-import", args=[run.pk]))
    second = ImportRun.objects.exclude(pk=run.pk).get()
    assert response["Location"] == reverse("interchange:run", args=[second.pk])
    assert second.status == ImportStatus.SUCCEEDED and not second.dry_run
    assert Client.objects.filter(centre=centre).count() == 5
    assert not list((settings.VAR_DIR / "imports").iterdir())


def test_errors_are_shown_as_a_table(as_adam, centre):
    files = {
        "clients.csv": b"client_ref,last_name,first_name,birth_date,gender\n"
        b"K1,Aerts,Ann,1980-01-01,Q\n",
        "rights.csv": b"client_ref,kind,start_date\nK7,leefloon,2020-01-01\n",
    }
    upload(as_adam, zip_of(files))
    run = ImportRun.objects.get()
    assert run.status == ImportStatus.FAILED
    assert [(e["file"], e["line"], e["column"], e["value"]) for e in run.errors] == [
        ("clients.csv", 2, "gender", "Q"),
        ("rights.csv", 2, "client_ref", "K7"),
    ]
    page = as_adam.get(reverse("interchange:run", args=[run.pk])).content.decode()
    assert "2 errors found. Nothing was written" in page
    assert "<code>Q</code>" in page and "No client has this reference" in page
    assert not Client.objects.exists()


def test_bad_zip(as_adam):
    upload(as_adam, b"not a zip at all")
    run = ImportRun.objects.get()
    assert run.status == ImportStatus.FAILED
    assert run.errors[0]["message"] == "This is not a zip file."
    page = as_adam.get(reverse("interchange:run", args=[run.pk])).content.decode()
    assert "This is not a zip file." in page


def test_file_that_is_not_a_zip_name_is_refused_on_the_form(as_adam):
    response = upload(as_adam, b"x", name="clients.csv")
    assert response.status_code == 200
    assert "Choose a .zip file." in response.content.decode()
    assert not ImportRun.objects.exists()


def test_running_status_polls(as_adam, adam, centre):
    run = ImportRun.objects.create(centre=centre, actor=adam, filename="x.zip")
    page = as_adam.get(reverse("interchange:run", args=[run.pk])).content.decode()
    assert 'hx-trigger="every 2s"' in page
    partial = as_adam.get(reverse("interchange:run", args=[run.pk]), HTTP_HX_REQUEST="true")
    assert "<html" not in partial.content.decode()
    assert 'id="run-status"' in partial.content.decode()


def test_run_of_another_centre_is_not_found(client, centre, adam, other_centre):
    from opstap.factories import UserFactory

    other_admin = UserFactory(centre=other_centre, role_list=["admin"])
    run = ImportRun.objects.create(centre=centre, actor=adam, filename="x.zip")
    client.force_login(other_admin)
    assert client.get(reverse("interchange:run", args=[run.pk])).status_code == 404


def test_social_worker_cannot_see_a_run(client, alice, adam, centre):
    run = ImportRun.objects.create(centre=centre, actor=adam, filename="x.zip")
    client.force_login(alice)
    assert client.get(reverse("interchange:run", args=[run.pk])).status_code == 404


def test_export_everything_downloads_the_zip(as_adam, adam, client_record):
    response = as_adam.post(reverse("interchange:export"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert 'filename="opstap-gent-' in response["Content-Disposition"]
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        clients = archive.read("clients.csv").decode()
        assert "rights.csv" in archive.namelist()
    assert f"{client_record.ref},Janssens,Fatima" in clients
    assert AuditEntry.objects.get(action="interchange.exported").actor == adam


def test_upload_page_lists_recent_runs(as_adam, adam, centre, django_assert_max_num_queries):
    for n in range(5):
        ImportRun.objects.create(centre=centre, actor=adam, filename=f"f{n}.zip")
    with django_assert_max_num_queries(10):
        page = as_adam.get(reverse("interchange:upload")).content.decode()
    assert "f4.zip" in page


def test_unexpected_failure_is_reported_and_writes_nothing(as_adam, basic_folder, monkeypatch):
    from opstap.interchange import services

    def explode(**kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(services, "import_files", explode)
    upload(as_adam, zip_of(folder_bytes(basic_folder)))
    run = ImportRun.objects.get()
    assert run.status == ImportStatus.CRASHED and run.finished_at is not None
    page = as_adam.get(reverse("interchange:run", args=[run.pk])).content.decode()
    assert "stopped because of an unexpected problem" in page
    assert "disk on fire" not in page
    assert not Client.objects.exists()
