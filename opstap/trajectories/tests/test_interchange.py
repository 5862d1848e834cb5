import datetime

import pytest

from opstap.interchange.engine import export_files, import_files
from opstap.trajectories.models import LadderPosition, Trajectory, TrajectoryType

pytestmark = pytest.mark.django_db

CLIENTS = (
    "client_ref,last_name,first_name,birth_date\n"
    "K1,Janssens,Fatima,1985-07-30\n"
    "K2,Peeters,Jan,1990-02-03\n"
)
TRAJECTORIES = (
    "trajectory_ref,client_ref,type,start_date,end_date,outcome\n"
    "T1,K1,taal,2024-01-01,2024-06-30,work\n"
    "T2,K1,activering,2024-07-01,,\n"
    "T3,K2,welzijn,2023-05-01,,\n"
)
LADDER = "client_ref,rung,since\nK1,taal,2024-01-01\nK1,arbeid,2024-07-01\nK2,zorg,2023-05-01\n"


def _files(**overrides):
    files = {"clients.csv": CLIENTS, "trajectories.csv": TRAJECTORIES, "ladder.csv": LADDER}
    files.update(overrides)
    return {name: text.encode() for name, text in files.items()}


def test_round_trip_is_byte_identical_and_idempotent(centre, other_centre):
    result = import_files(files=_files(), centre=centre)
    assert result.ok, [str(p) for p in result.errors]
    assert result.counts["trajectories.csv"].created == 3
    assert result.counts["ladder.csv"].created == 3
    t1 = Trajectory.objects.get(centre=centre, ref="T1")
    assert (t1.type.code, t1.end_date, t1.outcome.code) == (
        "taal",
        datetime.date(2024, 6, 30),
        "work",
    )
    assert LadderPosition.objects.filter(client__centre=centre).count() == 3
    exported = export_files(centre=centre)
    assert exported["trajectories.csv"].decode().replace("\r\n", "\n") == TRAJECTORIES
    assert exported["ladder.csv"].decode().replace("\r\n", "\n") == LADDER
    # Into an empty centre and out again: the same bytes.
    again = import_files(files=exported, centre=other_centre)
    assert again.ok, [str(p) for p in again.errors]
    assert export_files(centre=other_centre)["trajectories.csv"] == exported["trajectories.csv"]
    assert export_files(centre=other_centre)["ladder.csv"] == exported["ladder.csv"]
    # Importing the same folder twice changes nothing.
    second = import_files(files=exported, centre=centre)
    assert second.counts["trajectories.csv"].unchanged == 3
    assert second.counts["ladder.csv"].unchanged == 3
    assert second.counts["trajectories.csv"].created == 0


def test_existing_ref_is_updated(centre):
    import_files(files=_files(), centre=centre)
    changed = TRAJECTORIES.replace("T2,K1,activering,2024-07-01,,", "T2,K1,extern,2024-07-01,,")
    result = import_files(files=_files(**{"trajectories.csv": changed}), centre=centre)
    assert result.ok
    assert result.counts["trajectories.csv"].updated == 1
    assert Trajectory.objects.get(ref="T2").type.code == "extern"


def test_centre_codes_are_accepted(centre):
    from opstap.trajectories.catalogue import ensure_default_catalogue

    ensure_default_catalogue(centre)
    TrajectoryType.objects.create(centre=centre, code="jobcoaching", label_nl="Jobcoaching")
    text = "trajectory_ref,client_ref,type,start_date\nT9,K1,jobcoaching,2024-01-01\n"
    assert import_files(files=_files(**{"trajectories.csv": text}), centre=centre).ok


def test_every_error_is_listed_and_nothing_written(centre):
    trajectories = (
        "trajectory_ref,client_ref,type,start_date,end_date,outcome\n"
        "T1,K9,taal,2024-01-01,,\n"  # unknown client
        "T2,K1,fietsen,2024-01-01,,\n"  # unknown type
        "T3,K1,taal,2024-05-01,2024-04-01,work\n"  # end before start
        "T4,K1,taal,2024-05-01,,work\n"  # outcome without end
        "T4,K1,taal,2024-06-01,,\n"  # duplicate ref
        "T5,K1,taal,2024-13-01,,\n"  # bad date
        "T6,K1,taal,2024-01-01,2024-02-01,promoted\n"  # unknown outcome
    )
    ladder = (
        "client_ref,rung,since\n"
        "K1,top,2024-01-01\n"  # unknown rung
        "K9,taal,2024-01-01\n"  # unknown client
        "K1,taal,2024-02-01\n"
        "K1,zorg,2024-02-01\n"  # two positions on one day
    )
    result = import_files(
        files=_files(**{"trajectories.csv": trajectories, "ladder.csv": ladder}), centre=centre
    )
    assert not result.ok
    found = {(p.file, p.line, p.column) for p in result.errors}
    assert {
        ("trajectories.csv", 2, "client_ref"),
        ("trajectories.csv", 3, "type"),
        ("trajectories.csv", 4, "end_date"),
        ("trajectories.csv", 5, "outcome"),
        ("trajectories.csv", 6, "trajectory_ref"),
        ("trajectories.csv", 7, "start_date"),
        ("trajectories.csv", 8, "outcome"),
        ("ladder.csv", 2, "rung"),
        ("ladder.csv", 3, "client_ref"),
        ("ladder.csv", 5, "since"),
    } <= found
    assert not Trajectory.objects.exists()
    assert not LadderPosition.objects.exists()


def test_unknown_column_is_an_error(centre):
    text = "trajectory_ref,client_ref,type,start_date,colour\nT1,K1,taal,2024-01-01,red\n"
    result = import_files(files=_files(**{"trajectories.csv": text}), centre=centre)
    assert not result.ok
    assert any(p.file == "trajectories.csv" for p in result.errors)
