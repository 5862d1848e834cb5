import datetime
from collections import Counter, defaultdict

import pytest
from django.db import transaction

from opstap.clients.models import (
    Appointment,
    CareRole,
    CareTeamMember,
    Client,
    IncomeRight,
    JournalNote,
)
from opstap.clients.validators import clean_insz
from opstap.demo import generator
from opstap.demo.generator import generate_centre, register_step

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2025, 3, 14)


def _snapshot(code: str):
    clients = Client.objects.filter(centre__code=code)
    return (
        list(
            clients.order_by("ref").values_list(
                "ref", "last_name", "first_name", "birth_date", "insz", "language", "dutch_level"
            )
        ),
        sorted(
            IncomeRight.objects.filter(client__in=clients).values_list(
                "client__ref", "kind", "start_date", "end_date"
            )
        ),
        sorted(
            CareTeamMember.objects.filter(client__in=clients).values_list(
                "client__ref", "user__username", "role", "start_date", "end_date"
            )
        ),
        sorted(
            JournalNote.objects.filter(client__in=clients).values_list(
                "client__ref", "author__username", "occurred_on", "subject", "restricted"
            )
        ),
        sorted(
            Appointment.objects.filter(client__in=clients).values_list(
                "client__ref", "worker__username", "starts_at", "subject"
            )
        ),
    )


class _Undo(Exception):
    pass


def test_same_seed_same_centre_other_seed_other_centre():
    try:
        with transaction.atomic():
            generate_centre("ocmwx", "OCMW X", clients=60, seed=7, today=TODAY)
            first = _snapshot("ocmwx")
            raise _Undo
    except _Undo:
        pass
    assert not Client.objects.exists()
    generate_centre("ocmwx", "OCMW X", clients=60, seed=7, today=TODAY)
    assert _snapshot("ocmwx") == first
    generate_centre("ocmwy", "OCMW Y", clients=60, seed=8, today=TODAY)
    assert _snapshot("ocmwy")[0] != first[0]


@pytest.fixture
def generated():
    return generate_centre("ocmwt", "OCMW Test", clients=250, years=5, seed=3, today=TODAY)


def test_insz_numbers_are_valid_and_unique(generated):
    numbers = list(Client.objects.values_list("insz", flat=True))
    assert len(numbers) == 250
    assert len(set(numbers)) == 250
    for number in numbers:
        assert clean_insz(number) == number


def test_rights_never_overlap_and_follow_the_mix(generated):
    by_client = defaultdict(list)
    for right in IncomeRight.objects.order_by("start_date"):
        by_client[right.client_id].append(right)
    assert len(by_client) == 250
    for rights in by_client.values():
        for earlier, later in zip(rights, rights[1:], strict=False):
            assert earlier.end_date is not None and earlier.end_date < later.start_date
        assert all(r.start_date <= TODAY for r in rights)
    kinds = Counter(IncomeRight.objects.values_list("kind", flat=True))
    share = kinds["leefloon"] / sum(kinds.values())
    assert 0.7 <= share <= 0.9
    assert IncomeRight.objects.filter(end_date__isnull=False).exists()
    oldest = IncomeRight.objects.order_by("start_date").first().start_date
    assert oldest >= TODAY - datetime.timedelta(days=5 * 365 + 1)
    assert (TODAY - oldest).days > 3 * 365


def test_clients_are_adults_when_their_first_right_starts(generated):
    for client in Client.objects.prefetch_related("rights"):
        first = min(r.start_date for r in client.rights.all())
        assert client.age_on(first) >= 18
        assert client.age_on(TODAY) <= 65


def test_every_client_has_one_active_reference_worker_of_their_office_team(generated):
    for client in Client.objects.select_related("office"):
        refs = [
            m
            for m in client.care_team.select_related("user")
            if m.role == CareRole.REFERENCE and m.end_date is None
        ]
        assert len(refs) == 1, client
        assert refs[0].user.has_role("social_worker")
        assert refs[0].user.teams.filter(office=client.office).exists()
    assert CareTeamMember.objects.filter(role=CareRole.COUNSELLOR).exists()
    assert CareTeamMember.objects.filter(role=CareRole.LANGUAGE_COACH).exists()
    assert CareTeamMember.objects.filter(role=CareRole.CASE_MANAGER).exists()


def test_languages_and_dutch_levels_are_consistent(generated):
    pairs = list(Client.objects.values_list("language", "dutch_level"))
    languages = {language for language, _ in pairs}
    assert languages == {"nl", "fr", "ar", "ti", "ps", "ru", "ro", "so", "en"}
    assert all(level == "C2" for language, level in pairs if language == "nl")
    assert all(level != "C2" for language, level in pairs if language != "nl")
    assert all(level in {"A0", "A1", "A2", "B1"} for lang, level in pairs if lang in {"ti", "so"})


def test_notes_and_appointments_read_like_a_real_dossier(generated):
    notes = JournalNote.objects.all()
    assert notes.count() >= 250
    assert notes.filter(restricted=True).exists()
    subjects = set(notes.values_list("subject", flat=True))
    assert "Intakegesprek" in subjects and "Entretien d'accueil" in subjects
    assert not notes.filter(occurred_on__gt=TODAY).exists()
    future = Appointment.objects.filter(starts_at__date__gt=TODAY)
    past = Appointment.objects.filter(starts_at__date__lt=TODAY)
    assert future.exists() and past.exists()
    assert not future.filter(starts_at__date__gt=TODAY + datetime.timedelta(days=16)).exists()
    assert all(a.starts_at.date().weekday() < 5 for a in Appointment.objects.all())


def test_registered_step_runs_after_the_dossier_steps():
    calls = []

    @register_step(order=500)
    def count_rights(centre, rng, clients, ctx):
        calls.append((centre.code, len(clients), IncomeRight.objects.count(), rng.random()))

    try:
        generate_centre("ocmws", "OCMW S", clients=20, seed=1, today=TODAY)
    finally:
        generator._steps.pop(f"{count_rights.__module__}.{count_rights.__qualname__}")
    [(code, n, rights, _)] = calls
    assert (code, n) == ("ocmws", 20)
    assert rights >= 20
