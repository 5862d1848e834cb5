import datetime

from opstap.courses.models import Edition, Enrolment, Module, Session
from opstap.demo.generator import generate_centre
from opstap.reports.registry import run

TODAY = datetime.date(2024, 10, 15)


def test_demo_centre_has_bruges_modules_and_a_year_of_editions(db):
    centre = generate_centre("ocmwb", "OCMW B", clients=300, seed=5, today=TODAY).centre
    modules = Module.objects.filter(centre=centre)
    assert sorted(m.name_nl for m in modules) == [
        "Boost",
        "Switch",
        "Ta(a)lent",
        "Uitstraling",
        "Zinderin(g)",
    ]
    assert all(m.partners.exists() for m in modules)
    taalent = Edition.objects.filter(module__ref="TAALENT", start_date__year=2023).first()
    sessions = Session.objects.filter(edition=taalent)
    assert sessions.count() == 51 and sum(s.minutes for s in sessions) == 183 * 60
    result = run("module-reach", centre=centre, user=None, raw_params={"year": "2023"})
    assert result["total"]["cost_eur"] == 57042.0
    assert 80 <= result["total"]["participants"] <= 95
    # Every participant fits the module's target group.
    for e in Enrolment.objects.filter(edition__centre=centre).select_related("client", "edition"):
        module = e.edition.module
        if module.target_gender:
            assert e.client.gender == module.target_gender
    # A running edition with registers, and an upcoming one with a waiting list.
    running = Edition.objects.get(centre=centre, ref="TAALENT-2024-1")
    assert running.start_date < TODAY < running.end_date
    assert running.sessions.filter(attendance__isnull=False, date__gte=TODAY).count() == 0
    assert running.sessions.filter(attendance__isnull=False).exists()
    assert Enrolment.objects.filter(edition__ref="UITSTRALING-2024-1", status="waiting").count()
