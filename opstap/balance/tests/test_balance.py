import datetime
import re
import shutil
import subprocess

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from opstap.balance import services
from opstap.balance.models import (
    Balance,
    CentreBarrier,
    InstrumentResponse,
    InstrumentTemplate,
    Phase,
    Question,
)
from opstap.balance.selectors import consent_for
from opstap.balance.views import synthesis_context
from opstap.core.models import AuditEntry
from opstap.core.timeline import events_for
from opstap.documents.pdf import render_html, render_pdf
from opstap.trajectories.catalogue import ensure_default_catalogue

pytestmark = pytest.mark.django_db


def phase_url(balance, number):
    return reverse("balance:phase", args=[balance.client_id, balance.pk, number])


def fresh(balance):
    return Balance.objects.get(pk=balance.pk)


def intake_data(balance, **overrides):
    return {
        "version": fresh(balance).version,
        "intake_date": "03/02/2025",
        "reason": "Wil werken",
        "expectations": "Een job in de zorg vinden",
        "balance_consent": "on",
        "balance_consent_date": "03/02/2025",
        "intake_notes": "",
        **overrides,
    }


def complete(http, balance, number):
    url = reverse("balance:complete", args=[balance.client_id, balance.pk, number])
    return http.post(url, {"version": fresh(balance).version})


def finish_intake(http, balance):
    http.post(phase_url(balance, 1), intake_data(balance))
    complete(http, balance, 1)


def instrument(centre, code):
    return InstrumentTemplate.objects.get(centre=centre, code=code, latest=True)


def answer_life_course(http, balance, template):
    questions = list(
        Question.objects.filter(section__template=template).order_by(
            "section__position", "position"
        )
    )
    data = {"version": fresh(balance).version}
    text_q = next(q for q in questions if q.kind == "text")
    yes_no = next(q for q in questions if q.kind == "yes_no")
    date_q = next(q for q in questions if q.kind == "date")
    data[f"q_{text_q.pk}"] = "Gevlucht in 2015, sinds 2018 in Gent"
    data[f"q_{yes_no.pk}"] = "yes"
    data[f"q_{date_q.pk}"] = "31/12/2023"
    url = reverse("balance:instrument", args=[balance.client_id, balance.pk, template.pk])
    return http.post(url, data), text_q, yes_no, date_q


def synthesis_data(balance, **overrides):
    return {
        "version": fresh(balance).version,
        "conclusions": "Fatima wil in de zorg werken; eerst Nederlands naar B1.",
        "conclusions_agreed_on": "10/03/2025",
        "proposed_rung": "taal",
        "proposed_trajectory": "taal",
        "plan_notes": "Inschrijven bij het CVO.",
        "sharing_consent_date": "10/03/2025",
        "share_conclusions": "VDAB",
        "share_language": "VDAB, CVO",
        **overrides,
    }


# --- the tab and the phases -----------------------------------------------------------------


def test_tab_offers_to_start_and_start_is_audited(client, alice, client_record):
    client.force_login(alice)
    response = client.get(reverse("balance:client", args=[client_record.pk]))
    assert response.status_code == 200
    assert "Start a balance" in response.content.decode()
    response = client.post(reverse("balance:start", args=[client_record.pk]))
    balance = Balance.objects.get(client=client_record)
    assert response["Location"] == phase_url(balance, 1)
    assert AuditEntry.objects.filter(action="balance.created", client_id=client_record.pk).exists()
    # The centre got its default instruments in the three languages.
    template = instrument(client_record.centre, "life-course")
    assert template.title_fr == "Parcours de vie et expérience professionnelle"
    assert template.title_en == "Life course and work history"
    page = client.get(reverse("balance:client", args=[client_record.pk])).content.decode()
    assert "Phase 1: intake and acquaintance" in page


def test_second_open_balance_is_refused(alice, client_record, balance):
    with pytest.raises(Exception, match="already has a balance"):
        services.balance_create(actor=alice, client=client_record)


def test_phase_1_happy_path(client, alice, balance):
    client.force_login(alice)
    response = client.post(phase_url(balance, 1), intake_data(balance))
    assert response.status_code == 302
    balance = fresh(balance)
    assert balance.expectations == "Een job in de zorg vinden"
    assert balance.intake_date == datetime.date(2025, 2, 3)
    entry = AuditEntry.objects.get(action="balance.updated", object_id=str(balance.pk))
    assert entry.changes["expectations"] == ["", "Een job in de zorg vinden"]
    assert complete(client, balance, 1)["Location"] == phase_url(balance, 2)
    balance = fresh(balance)
    assert balance.is_done(1) and balance.current_phase == Phase.EXPLORATION
    assert AuditEntry.objects.filter(action="balance.phase_completed").count() == 1
    page = client.get(reverse("clients:detail", args=[balance.client_id])).content.decode()
    assert "phase 2 of 3" in page  # the dossier header fact
    assert "Balance phase completed: Intake and acquaintance" in page  # the timeline


def test_phase_1_cannot_complete_without_consent(client, alice, balance):
    client.force_login(alice)
    client.post(phase_url(balance, 1), intake_data(balance, balance_consent=""))
    response = complete(client, balance, 1)
    assert response["Location"] == phase_url(balance, 1)
    assert not fresh(balance).is_done(1)
    page = client.get(phase_url(balance, 1)).content.decode()
    assert "must agree to take part" in page


def test_exploration_is_closed_until_intake_is_completed(client, alice, balance):
    client.force_login(alice)
    page = client.get(phase_url(balance, 2)).content.decode()
    assert "The exploration starts when phase 1 is completed" in page
    response = client.post(
        reverse("balance:barriers", args=[balance.client_id, balance.pk]),
        {"version": balance.version, "b_debts": "on"},
    )
    assert response.status_code == 200
    assert not balance.barriers.exists()


def test_instrument_answered_and_stored(client, alice, balance, centre):
    client.force_login(alice)
    finish_intake(client, balance)
    template = instrument(centre, "life-course")
    response, text_q, yes_no, date_q = answer_life_course(client, balance, template)
    assert response.status_code == 302, response.content.decode()[:2000]
    stored = InstrumentResponse.objects.get(balance=balance)
    assert stored.template == template
    assert stored.answers == {
        str(text_q.pk): "Gevlucht in 2015, sinds 2018 in Gent",
        str(yes_no.pk): "yes",
        str(date_q.pk): "2023-12-31",
    }
    page = client.get(phase_url(balance, 2)).content.decode()
    assert "Gevlucht in 2015" in page and "31/12/2023" in page
    assert AuditEntry.objects.filter(action="balance.updated", object_id=str(balance.pk)).exists()


def test_instrument_form_is_in_the_users_language(client, alice, balance, centre):
    client.force_login(alice)
    finish_intake(client, balance)
    template = instrument(centre, "education")
    url = reverse("balance:instrument", args=[balance.client_id, balance.pk, template.pk])
    client.cookies["django_language"] = "fr"
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Diplôme le plus élevé obtenu" in page
    assert "Secondaire supérieur" in page
    client.cookies["django_language"] = "en"
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Highest diploma obtained" in page


def test_choice_and_scale_answers(client, alice, balance, centre):
    client.force_login(alice)
    finish_intake(client, balance)
    template = instrument(centre, "competences")
    questions = Question.objects.filter(section__template=template)
    multiple = questions.get(kind="multiple")
    scale = questions.filter(kind="scale").first()
    picked = list(multiple.choices.all()[:2])
    url = reverse("balance:instrument", args=[balance.client_id, balance.pk, template.pk])
    client.post(
        url,
        {
            "version": fresh(balance).version,
            f"q_{multiple.pk}": [c.pk for c in picked],
            f"q_{scale.pk}": "4",
        },
    )
    stored = InstrumentResponse.objects.get(balance=balance)
    assert stored.answers[str(multiple.pk)] == [c.pk for c in picked]
    assert stored.answers[str(scale.pk)] == "4"
    page = client.get(phase_url(balance, 2)).content.decode()
    assert picked[0].label_nl in page
    assert "the client&#x27;s own view" in page


def test_barriers_and_strengths(client, alice, balance, centre):
    own = CentreBarrier.objects.create(centre=centre, label_nl="Geen kinderopvang")
    client.force_login(alice)
    finish_intake(client, balance)
    response = client.post(
        reverse("balance:barriers", args=[balance.client_id, balance.pk]),
        {
            "version": fresh(balance).version,
            "b_debts": "on",
            "n_debts": "Schuldbemiddeling loopt",
            "b_language": "on",
            f"b_own{own.pk}": "on",
            "r_strength": "Doorzetter\nGoed met kinderen",
            "r_resource": "Zus woont in Gent",
        },
    )
    assert response.status_code == 302
    barriers = {b.label: b.note for b in fresh(balance).barriers.all()}
    assert barriers["Debts"] == "Schuldbemiddeling loopt"
    assert "Geen kinderopvang" in barriers
    assert len(barriers) == 3
    texts = set(balance.resources.values_list("kind", "text"))
    assert texts == {
        ("strength", "Doorzetter"),
        ("strength", "Goed met kinderen"),
        ("resource", "Zus woont in Gent"),
    }
    entry = AuditEntry.objects.filter(action="balance.updated").latest("id")
    assert "barriers" in entry.changes


def test_synthesis_happy_path_with_consent(client, alice, balance, centre):
    ensure_default_catalogue(centre)
    client.force_login(alice)
    finish_intake(client, balance)
    complete(client, balance, 2)
    response = client.post(phase_url(balance, 3), synthesis_data(balance))
    assert response.status_code == 302, response.content.decode()[:3000]
    assert complete(client, balance, 3).status_code == 302
    balance = fresh(balance)
    assert balance.finished and balance.proposed_rung == "taal"
    consent = consent_for(balance.client)
    assert consent["given_on"] == datetime.date(2025, 3, 10)
    assert consent["categories"] == {"conclusions": "VDAB", "language": "VDAB, CVO"}
    titles = [e.title for e in events_for(balance.client, alice)]
    assert "Balance synthesis agreed with the client" in titles
    assert "Balance started" in titles
    client.cookies["django_language"] = "nl"
    page = client.get(reverse("balance:client", args=[balance.client_id])).content.decode()
    assert "Fatima wil in de zorg werken" in page
    assert "Taaltraject / taalactivering" in page  # the trajectory type of the catalogue
    assert "Een nieuwe balans starten" in page
    assert reverse("balance:pdf", args=[balance.client_id, balance.pk]) in page


def test_consent_needs_a_date(client, alice, balance):
    client.force_login(alice)
    finish_intake(client, balance)
    complete(client, balance, 2)
    response = client.post(phase_url(balance, 3), synthesis_data(balance, sharing_consent_date=""))
    assert response.status_code == 200
    assert "Record the date the client gave consent." in response.content.decode()
    assert not fresh(balance).consents.exists()
    assert fresh(balance).conclusions == ""  # nothing half-saved


def test_synthesis_needs_conclusions_to_complete(client, alice, balance):
    client.force_login(alice)
    finish_intake(client, balance)
    complete(client, balance, 2)
    complete(client, balance, 3)
    assert not fresh(balance).is_done(3)


def test_consent_for_without_consent(client_record):
    assert consent_for(client_record) == {"given_on": None, "balance_id": None, "categories": {}}


def test_reopen_is_audited_with_reason(client, alice, balance):
    client.force_login(alice)
    finish_intake(client, balance)
    complete(client, balance, 2)
    url = reverse("balance:reopen", args=[balance.client_id, balance.pk, 1])
    response = client.post(url, {"version": fresh(balance).version, "reason": ""})
    assert response.status_code == 200 and fresh(balance).is_done(1)
    response = client.post(
        url, {"version": fresh(balance).version, "reason": "Verwachtingen veranderd"}
    )
    assert response.status_code == 302
    balance = fresh(balance)
    assert balance.current_phase == 1 and not balance.is_done(2)
    entry = AuditEntry.objects.get(action="balance.phase_reopened")
    assert entry.changes["reason"] == [None, "Verwachtingen veranderd"]


def test_completed_phase_cannot_be_edited(client, alice, balance):
    client.force_login(alice)
    finish_intake(client, balance)
    response = client.post(phase_url(balance, 1), intake_data(balance, expectations="Anders"))
    assert response.status_code == 200
    assert fresh(balance).expectations == "Een job in de zorg vinden"


def test_stale_save_is_refused_and_input_kept(client, alice, carol, balance):
    client.force_login(alice)
    loaded_version = fresh(balance).version
    # Carol (head of service) saves in between.
    services.balance_update(
        actor=carol,
        balance=balance,
        expected_version=loaded_version,
        phase=1,
        reason="Door Carol",
    )
    data = intake_data(balance, version=loaded_version, expectations="Mijn eigen tekst")
    response = client.post(phase_url(balance, 1), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Someone else saved this balance after you opened it" in page
    assert "Mijn eigen tekst" in page
    balance = fresh(balance)
    assert balance.expectations == "" and balance.reason == "Door Carol"
    # The form now carries the current version: saving again is a deliberate overwrite.
    match = re.search(r'name="version" value="(\d+)"', page)
    assert int(match.group(1)) == balance.version


def test_stale_instrument_answers_are_kept(client, alice, balance, centre):
    client.force_login(alice)
    finish_intake(client, balance)
    template = instrument(centre, "life-course")
    loaded_version = fresh(balance).version
    answer_life_course(client, balance, template)  # someone saves in between
    data = {"version": loaded_version}
    text_q = Question.objects.filter(section__template=template, kind="text").first()
    data[f"q_{text_q.pk}"] = "Niet verloren"
    url = reverse("balance:instrument", args=[balance.client_id, balance.pk, template.pk])
    response = client.post(url, data)
    assert response.status_code == 200
    assert "Niet verloren" in response.content.decode()
    assert "Someone else saved this balance" in response.content.decode()
    stored = InstrumentResponse.objects.get(balance=balance).answers[str(text_q.pk)]
    assert stored == "Gevlucht in 2015, sinds 2018 in Gent"


# --- instrument versions --------------------------------------------------------------------


def test_template_edit_after_use_makes_a_new_version(client, alice, adam, balance, centre):
    client.force_login(alice)
    finish_intake(client, balance)
    old = instrument(centre, "life-course")
    answer_life_course(client, balance, old)
    question = Question.objects.filter(section__template=old, kind="text").first()
    section = question.section

    client.force_login(adam)
    url = reverse("balance:question-edit", args=[old.pk, section.pk, question.pk])
    response = client.post(
        url,
        {
            "kind": "text",
            "label_nl": "Vertel over je levensloop",
            "label_fr": "Raconte ton parcours",
            "label_en": "Tell us about your life course",
        },
    )
    new = instrument(centre, "life-course")
    assert new.pk != old.pk and new.version == old.version + 1
    assert response["Location"] == reverse("balance:instrument-edit", args=[new.pk])
    old.refresh_from_db()
    assert not old.latest
    # The old version keeps its question; the answered balance still shows it.
    question.refresh_from_db()
    assert question.label_nl == "Belangrijke gebeurtenissen in je leven"
    assert Question.objects.filter(
        section__template=new, label_nl="Vertel over je levensloop"
    ).exists()
    assert InstrumentResponse.objects.get(balance=balance).template_id == old.pk
    client.force_login(alice)
    client.cookies["django_language"] = "nl"
    page = client.get(phase_url(balance, 2)).content.decode()
    assert "Belangrijke gebeurtenissen in je leven" in page
    assert "Vertel over je levensloop" not in page
    assert AuditEntry.objects.filter(action="balance.instrument.versioned").exists()
    # A second edit of the new (unused) version changes it in place.
    new_q = Question.objects.get(section__template=new, label_nl="Vertel over je levensloop")
    client.force_login(adam)
    client.post(
        reverse("balance:question-edit", args=[new.pk, new_q.section_id, new_q.pk]),
        {"kind": "text", "label_nl": "Levensloop", "label_fr": "", "label_en": ""},
    )
    assert instrument(centre, "life-course").pk == new.pk


def test_admin_adds_choice_question_reorders_and_deactivates(client, adam, centre):
    client.force_login(adam)
    assert client.get(reverse("balance:instrument-list")).status_code == 200
    template = instrument(centre, "interests")
    section = template.sections.first()
    page = client.get(reverse("balance:instrument-edit", args=[template.pk])).content.decode()
    assert "Which sectors appeal to you?" in page or "Welke sectoren spreken je aan?" in page
    assert client.get(reverse("balance:barrier-list")).status_code == 200
    url = reverse("balance:section-edit", args=[template.pk, section.pk])
    assert client.get(url).status_code == 200
    url = reverse("balance:question-create", args=[template.pk, section.pk])
    response = client.post(url, {"kind": "single", "label_nl": "Rijbewijs?"})
    assert response.status_code == 200
    assert "A choice question needs at least one choice." in response.content.decode()
    client.post(
        url,
        {
            "kind": "single",
            "label_nl": "Welke ploeg?",
            "label_en": "Which shift?",
            "choices_text": "Vroeg | Tôt | Early\nLaat | Tard | Late",
        },
    )
    question = Question.objects.get(section=section, label_nl="Welke ploeg?")
    assert [c.label_en for c in question.choices.all()] == ["Early", "Late"]
    last = list(section.questions.all())[-1]
    assert last == question
    client.post(reverse("balance:item-action", args=[template.pk, "question", question.pk, "up"]))
    assert list(section.questions.all())[-2] == question
    response = client.post(
        reverse("balance:instrument-edit", args=[template.pk]),
        {
            "title_nl": template.title_nl,
            "title_fr": template.title_fr,
            "title_en": template.title_en,
            "position": template.position,
        },
    )
    template.refresh_from_db()
    assert not template.active
    from opstap.balance.selectors import instruments_offered

    assert template not in instruments_offered(centre)


@pytest.mark.parametrize("persona", ["alice", "bob", "maria", "pete", "oscar"])
def test_instrument_admin_is_for_administrators(client, request, persona, centre, adam):
    services.ensure_default_instruments(centre)
    template = instrument(centre, "language")
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("balance:instrument-list")).status_code == 404
    assert client.get(reverse("balance:instrument-edit", args=[template.pk])).status_code == 404
    assert client.get(reverse("balance:barrier-list")).status_code == 404


def test_admin_of_another_centre_cannot_edit(client, other_centre, centre):
    from opstap.factories import UserFactory

    services.ensure_default_instruments(centre)
    template = instrument(centre, "language")
    client.force_login(UserFactory(centre=other_centre, role_list=["admin"]))
    assert client.get(reverse("balance:instrument-edit", args=[template.pk])).status_code == 404


# --- access ---------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["bob", "dave", "maria", "adam", "pete", "oscar"])
def test_outsiders_get_404(client, request, persona, balance, centre):
    client.force_login(request.getfixturevalue(persona))
    template = instrument(centre, "language")
    args = [balance.client_id, balance.pk]
    assert client.get(reverse("balance:client", args=[balance.client_id])).status_code == 404
    assert client.post(reverse("balance:start", args=[balance.client_id])).status_code == 404
    assert client.get(phase_url(balance, 1)).status_code == 404
    assert client.post(phase_url(balance, 1), intake_data(balance)).status_code == 404
    assert client.get(reverse("balance:pdf", args=args)).status_code == 404
    assert client.get(reverse("balance:instrument", args=[*args, template.pk])).status_code == 404
    assert client.post(reverse("balance:complete", args=[*args, 1])).status_code == 404
    assert client.post(reverse("balance:barriers", args=args)).status_code == 404
    assert fresh(balance).version == 1


def test_balance_of_another_client_is_404(client, alice, balance, centre):
    from opstap.factories import CareTeamMemberFactory, ClientFactory

    other = ClientFactory(centre=centre)
    CareTeamMemberFactory(client=other, user=alice)
    client.force_login(alice)
    url = reverse("balance:phase", args=[other.pk, balance.pk, 1])
    assert client.get(url).status_code == 404


def test_head_of_service_and_counsellor_on_the_team_can_open(
    client, carol, counsellor_bob, balance
):
    for user in (carol, counsellor_bob):
        client.force_login(user)
        assert client.get(phase_url(balance, 1)).status_code == 200


# --- no score -------------------------------------------------------------------------------

# French "points forts" (strengths) and "points d'attention" are not scores.
SCORE_WORDS = re.compile(
    r"\b(score|scores|total|totaal|punten|ranking|points(?!\s+(forts|d['’]attention)))\b", re.I
)


def _visible_text(html: str) -> str:
    html = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"<[^>]+>", " ", html)


def _full_balance(client, balance, centre):
    finish_intake(client, balance)
    answer_life_course(client, balance, instrument(centre, "life-course"))
    template = instrument(centre, "competences")
    scales = Question.objects.filter(section__template=template, kind="scale")
    url = reverse("balance:instrument", args=[balance.client_id, balance.pk, template.pk])
    client.post(url, {"version": fresh(balance).version, **{f"q_{q.pk}": "5" for q in scales}})
    client.post(
        reverse("balance:barriers", args=[balance.client_id, balance.pk]),
        {
            "version": fresh(balance).version,
            "b_debts": "on",
            "b_housing": "on",
            "b_network": "on",
            "r_strength": "Doorzetter",
        },
    )
    complete(client, balance, 2)
    client.post(phase_url(balance, 3), synthesis_data(balance))
    complete(client, balance, 3)
    return fresh(balance)


def test_no_score_or_total_anywhere(client, alice, balance, centre):
    client.force_login(alice)
    balance = _full_balance(client, balance, centre)
    assert balance.finished
    for lang in ("en", "nl", "fr"):
        client.cookies["django_language"] = lang
        for number in (1, 2, 3):
            text = _visible_text(client.get(phase_url(balance, number)).content.decode())
            assert "Doorzetter" in text or number != 2
            assert not SCORE_WORDS.search(text), (lang, number, SCORE_WORDS.search(text))
        html = render_html("balance/synthesis_pdf.html", synthesis_context(balance), lang)
        assert not SCORE_WORDS.search(_visible_text(html))
    # Three barriers ticked and five self-ratings: nowhere a count or sum of them.
    text = _visible_text(client.get(phase_url(balance, 2)).content.decode())
    text = re.sub(r"\b\d{2}/\d{2}/\d{4}\b", "", text)  # the header's dates (a random birthday)
    assert not re.search(r"\b3\s*(/|barriers|belemmeringen)", text)
    assert not re.search(r"\b15\b", text) and "/5" not in text


# --- PDF ------------------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["nl", "fr", "en"])
def test_synthesis_pdf_in_the_clients_language(client, alice, balance, centre, language):
    client.force_login(alice)
    balance = _full_balance(client, balance, centre)
    balance.client.language = language
    balance.client.save()
    response = client.get(reverse("balance:pdf", args=[balance.client_id, balance.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    data = response.content
    assert data.startswith(b"%PDF")
    with translation.override(language):
        title = translation.gettext("Socio-professional balance: synthesis")
    html = render_html("balance/synthesis_pdf.html", synthesis_context(balance), language)
    assert f'<html lang="{language}">' in html and title in html
    assert "OCMW Gent" in html
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", "-", "-"], input=data, capture_output=True)
        plain = " ".join(text.stdout.decode().split())
        assert title in plain
        assert "Fatima wil in de zorg werken" in plain
        assert not SCORE_WORDS.search(plain)


def test_pdf_falls_back_to_dutch(balance, settings):
    settings.LANGUAGE_CODE = "nl"  # the site default, as in config/settings.py
    balance.client.language = "ar"
    html = render_html("balance/synthesis_pdf.html", synthesis_context(balance), "ar")
    assert '<html lang="nl">' in html
    assert render_pdf("balance/synthesis_pdf.html", synthesis_context(balance), "ar")[:4] == b"%PDF"


# --- bounded queries ------------------------------------------------------------------------


def _answer(client, balance, template):
    question = Question.objects.filter(section__template=template, kind="text").first()
    url = reverse("balance:instrument", args=[balance.client_id, balance.pk, template.pk])
    client.post(url, {"version": fresh(balance).version, f"q_{question.pk}": "antwoord"})


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_balance_pages_run_bounded_queries(
    client, alice, balance, centre, django_assert_max_num_queries
):
    client.force_login(alice)
    finish_intake(client, balance)
    templates = list(InstrumentTemplate.objects.filter(centre=centre, latest=True))
    _answer(client, balance, templates[0])
    few = _count(client, phase_url(balance, 2))
    for template in templates[1:5]:
        _answer(client, balance, template)
    for index in range(4):
        CentreBarrier.objects.create(centre=centre, label_nl=f"Eigen {index}")
    # More answers and barriers, same number of queries.
    assert _count(client, phase_url(balance, 2)) == few
    with django_assert_max_num_queries(30):
        response = client.get(phase_url(balance, 2))
    assert len(response.context["responses"]) == 5
    for number in (1, 3):
        with django_assert_max_num_queries(22):
            assert client.get(phase_url(balance, number)).status_code == 200
