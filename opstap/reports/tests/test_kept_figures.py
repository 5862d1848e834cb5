"""Kept figures are the live figures: after every kind of write, every report kept between reads
(opstap.core.stored) gives what its selector counts afresh."""

import datetime
import decimal
import json
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core import signing
from django.core.cache import caches
from django.db import connection
from django.db.models import F
from django.db.models.deletion import ProtectedError
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from opstap.activation.models import MonthlyHours, Placement
from opstap.clients.models import Client, IncomeRight
from opstap.core.stored import CACHE
from opstap.courses.models import Enrolment
from opstap.dashboards.figures import SALT
from opstap.dashboards.keyfigures import key_figures
from opstap.demo.generator import generate_centre
from opstap.factories import ClientFactory, IncomeRightFactory, UserFactory
from opstap.gpmi.models import GpmiStep
from opstap.reports.params import parse_params
from opstap.reports.registry import all_reports, figures
from opstap.reports.views import ladder_figures, page_parts
from opstap.trajectories.models import LadderPosition, Rung, Trajectory, TrajectoryType

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today()  # the reports' defaults and the key figures count from today
YEAR_AGO = TODAY - datetime.timedelta(days=365)


def _raw_params(report) -> dict:
    last_month = TODAY.replace(day=1) - datetime.timedelta(days=1)
    values = {
        "date": TODAY.isoformat(),
        "from": YEAR_AGO.isoformat(),
        "to": TODAY.isoformat(),
        "year": str(TODAY.year),
        "month": f"{last_month:%Y-%m}",
    }
    return {name: values[name] for name in report.params if name != "year"} or {
        "year": values["year"]
    }


def _unsigned(value):
    """The value with each link to the clients behind a figure as what it carries (a link is
    signed with the time it was made)."""
    if isinstance(value, dict):
        return {
            key: resolve_link(item) if key == "link" and item else _unsigned(item)
            for key, item in value.items()
        }
    if isinstance(value, list):
        return [_unsigned(item) for item in value]
    return value


def resolve_link(url: str):
    token = parse_qs(urlsplit(url).query)["s"][0]
    return signing.loads(token, salt=SALT)


def _same(value) -> str:
    return json.dumps(_unsigned(value), sort_keys=True, default=str)


def _figures(centre, user) -> dict[str, str]:
    """Figure name -> its value as JSON, through the pages' own functions."""
    values = {}
    for report in all_reports():
        params = parse_params(report, _raw_params(report))
        values[report.name] = _same(figures(report, centre, user, params))
        parts = page_parts(report, centre, user, params)
        values[f"{report.name} (page)"] = _same({**parts, "table": str(parts["table"])})
    values["ladder-transitions"] = _same(ladder_figures(centre, user, YEAR_AGO, TODAY))
    values["key-figures"] = _same(key_figures(centre, user, today=TODAY))
    return values


def _both(centre, user) -> dict[str, tuple[str, str]]:
    """Figure name -> (kept, counted afresh with nothing kept); and for each figure as another
    process takes it from the copies shared in the database, the same pair."""
    kept = _figures(centre, user)
    caches[CACHE].clear()  # another process, which has kept nothing of its own yet
    shared = _figures(centre, user)
    with override_settings(STORED_FIGURES=False):
        live = _figures(centre, user)
    return {name: (kept[name], live[name]) for name in kept} | {
        f"{name} (another process)": (shared[name], live[name]) for name in shared
    }


def _every_third(queryset):
    ids = list(queryset.order_by("pk").values_list("pk", flat=True))
    return queryset.model.objects.filter(pk__in=ids[::3])


def _end_trajectories(centre):
    running = Trajectory.objects.filter(
        centre=centre, end_date__isnull=True, start_date__lte=TODAY - datetime.timedelta(days=30)
    )
    _every_third(running).update(end_date=TODAY - datetime.timedelta(days=30))


def _delete_rights(centre):
    _every_third(IncomeRight.objects.filter(centre=centre)).delete()


def _delete_ladder(centre):
    _every_third(LadderPosition.objects.filter(client__centre=centre)).delete()


def _more_hours(centre):
    MonthlyHours.objects.filter(placement__centre=centre).update(hours=F("hours") + 1)


def _delete_placements(centre):
    _every_third(Placement.objects.filter(centre=centre)).delete()


def _delete_enrolments(centre):
    _every_third(Enrolment.objects.filter(client__centre=centre)).delete()


def _steps_due(centre):
    open_steps = GpmiStep.objects.filter(centre=centre, done_on__isnull=True)
    _every_third(open_steps).update(due_date=TODAY - datetime.timedelta(days=3))


def _relabel_catalogue(centre):
    kind = TrajectoryType.objects.filter(centre=centre).order_by("position").first()
    kind.label_nl, kind.label_fr, kind.label_en = "Hernoemd", "Renommé", "Renamed"
    kind.counts_as_activation = not kind.counts_as_activation
    kind.save()


def _new_clients(centre):
    kind = TrajectoryType.objects.filter(centre=centre).order_by("position").last()
    for n in range(5):
        person = ClientFactory(centre=centre, ref=f"NEW{n}")
        IncomeRightFactory(client=person, start_date=TODAY - datetime.timedelta(days=60))
        Trajectory.objects.create(
            centre=centre,
            client=person,
            ref=f"NEWT{n}",
            type=kind,
            start_date=TODAY - datetime.timedelta(days=20),
        )
        LadderPosition.objects.create(client=person, rung=Rung.ARBEID, since=YEAR_AGO)


def _delete_clients(centre):
    for person in _every_third(Client.objects.filter(centre=centre)):
        try:
            person.delete()
        except ProtectedError:
            continue


WRITES = [
    _end_trajectories,
    _delete_rights,
    _delete_ladder,
    _more_hours,
    _delete_placements,
    _delete_enrolments,
    _steps_due,
    _relabel_catalogue,
    _new_clients,
    _delete_clients,
]


def test_kept_figures_follow_every_write():
    centre = generate_centre("ocmwx", "OCMW X", clients=80, years=3, seed=5, today=TODAY).centre
    generate_centre("ocmwy", "OCMW Y", clients=30, years=3, seed=6, today=TODAY)
    head = UserFactory(username="head-x", centre=centre, role_list=["head"])
    management = UserFactory(username="management-x", centre=centre, role_list=["management"])
    before = _both(centre, management)
    assert all(kept == live for kept, live in before.values())
    changed = set()
    for write in WRITES:
        write(centre)
        for user in (management, head):
            after = _both(centre, user)
            stale = [name for name, (kept, live) in after.items() if kept != live]
            assert not stale, f"after {write.__name__}: kept figures differ: {stale}"
        changed |= {name for name in after if after[name][1] != before[name][1]}
        before = after
    with translation.override("fr"):
        after = _both(centre, management)
    assert all(kept == live for kept, live in after.values())
    # Every figure changed at least once, so a figure kept too long would have been seen.
    assert changed == set(before), set(before) - changed


def _chart(response) -> str:
    page = response.content.decode()
    return page[page.index('<figure class="chart">') : page.index("</figure>")]


def test_a_kept_report_page_shows_a_write_at_once(client, centre, maria, build):
    person = build.client("K1", (datetime.date(2024, 1, 1), None))
    build.trajectory(person, "taal", datetime.date(2024, 2, 1))
    client.force_login(maria)
    url = "/reports/trajectory-dossiers/?date=2024-06-30"

    def page():
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200
        return response, len(queries)

    first, counted = page()
    again, kept = page()
    assert kept < counted
    assert again.context["result"] == first.context["result"]
    assert again.context["table"]["html"] == first.context["table"]["html"]
    assert _chart(again) == _chart(first) and 'class="bars"' in _chart(first)
    assert first.context["result"]["total"]["dossiers"] == 1
    build.trajectory(build.client("K2"), "werk", datetime.date(2024, 3, 1))
    after, _ = page()
    assert after.context["result"]["total"]["dossiers"] == 2
    assert after.context["table"]["html"] != first.context["table"]["html"]
    assert _chart(after) != _chart(first)


def _plain(value) -> bool:
    """Only text and numbers: what the cache copies out cheaply (a lazy translation is not)."""
    if isinstance(value, dict):
        return all(_plain(key) and _plain(item) for key, item in value.items())
    if isinstance(value, list | tuple):
        return all(_plain(item) for item in value)
    return value is None or isinstance(value, str | int | float | decimal.Decimal)


def test_a_report_page_keeps_only_what_it_draws_as_text(centre, maria, build):
    person = build.client("K1", (datetime.date(2024, 1, 1), None))
    build.trajectory(person, "taal", datetime.date(2024, 2, 1))
    for report in all_reports():
        parts = page_parts(report, centre, maria, parse_params(report, _raw_params(report)))
        assert set(parts) == {"table", "totals", "chart", "shown_params"}, report.name
        assert _plain(parts), report.name
        assert parts["shown_params"], report.name


def test_a_kept_report_pages_download_follows_a_write(client, centre, maria, build):
    build.trajectory(build.client("K1"), "taal", datetime.date(2024, 2, 1))
    client.force_login(maria)
    url = "/reports/trajectory-dossiers/?date=2024-06-30"
    assert client.get(url).status_code == 200
    assert client.get(url + "&format=csv").content.decode().splitlines()[-1] == "total,,1"
    build.trajectory(build.client("K2"), "werk", datetime.date(2024, 3, 1))
    assert client.get(url).status_code == 200
    assert client.get(url + "&format=csv").content.decode().splitlines()[-1] == "total,,2"
