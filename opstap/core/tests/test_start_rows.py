# ruff: noqa: E501 (the template loops as they were written, one line a row)
"""The start page's card rows written in Python give the HTML of the template loops they
replaced (fix 84), in every language, with escaping, dates in local time and both branches."""

import datetime
from types import SimpleNamespace as Obj
from zoneinfo import ZoneInfo

import pytest
from django.template import Context, Template
from django.utils import timezone, translation

from opstap.core import start_rows
from opstap.dashboards.start import Absence, MissingHours, StepDue

# The loops as core/home.html and gpmi/_home_card.html wrote them before fix 84.
LOOPS = {
    "today": """{% for a in items %}
      <li><time datetime="{{ a.starts_at|date:'c' }}">{{ a.starts_at|date:"H:i" }}</time> —
        <a href="{{ a.client_id|pk_url:'clients:detail' }}">{{ a.client.full_name }}</a>{% translate ":" context "label separator" %} {{ a.subject }}</li>
      {% endfor %}""",
    "week": """{% for a in items %}
      <li><time datetime="{{ a.starts_at|date:'c' }}">{{ a.starts_at|date:"D d/m H:i" }}</time> —
        <a href="{{ a.client_id|pk_url:'clients:detail' }}">{{ a.client.full_name }}</a>{% translate ":" context "label separator" %} {{ a.subject }}</li>
      {% endfor %}""",
    "steps": """{% for s in items %}
      <li><a href="{{ s.client_id|pk_url:'gpmi:client' }}">{{ s.client_name }}</a>{% translate ":" context "label separator" %} {{ s.text|truncatechars:80 }} · {% if s.overdue %}<strong>{% blocktranslate with day=s.due|date:"d/m/Y" %}overdue since {{ day }}{% endblocktranslate %}</strong>{% else %}{% blocktranslate with day=s.due|date:"d/m/Y" %}due {{ day }}{% endblocktranslate %}{% endif %}</li>{% endfor %}""",
    "deadlines": """{% for d in items %}
    <li><a href="{{ d.client_id|pk_url:'gpmi:client' }}">{{ d.client_name }}</a>{% translate ":" context "label separator" %} {% if d.problem == "gpmi_missing" %}{% translate "GPMI to sign" %}{% else %}{% translate "GPMI evaluation" %}{% endif %} · {% if d.overdue %}<strong>{% blocktranslate with day=d.due|date:"d/m/Y" %}overdue since {{ day }}{% endblocktranslate %}</strong>{% else %}{% blocktranslate with day=d.due|date:"d/m/Y" %}due {{ day }}{% endblocktranslate %}{% endif %}</li>{% endfor %}""",
    "referrals": """{% for r in items %}
      <li><a href="{{ r.client_id|pk_url:'network:client-referrals' }}">{{ r.client.full_name }}</a>{% translate ":" context "label separator" %} {{ r.target_label }} · {% blocktranslate with d=r.referred_on|date:"d/m/Y" %}since {{ d }}{% endblocktranslate %}</li>{% endfor %}""",
    "evaluations": """{% for d in items %}
      <li><a href="{{ d.placement.pk|pk_url:'activation:evaluation' }}?due={{ d.due_on|date:'Y-m-d' }}">{{ d.placement.client.full_name }}</a>{% translate ":" context "label separator" %} {{ d.placement.organisation.name }} · {% if d.overdue %}<span class="badge warn">{% blocktranslate with d=d.due_on|date:"d/m/Y" %}overdue since {{ d }}{% endblocktranslate %}</span>{% else %}{% blocktranslate with d=d.due_on|date:"d/m/Y" %}due {{ d }}{% endblocktranslate %}{% endif %}</li>{% endfor %}""",
    "hours": """{% for h in items %}
      <li><a href="{{ h.client_id|pk_url:'activation:client' }}">{{ h.client_name }}</a>{% translate ":" context "label separator" %} {{ h.organisation }} · {{ h.month|date:"m/Y" }}</li>{% endfor %}""",
    "absences": """{% for a in items %}
      <li><a href="{{ a.client_id|pk_url:'courses:client-modules' }}">{{ a.client_name }}</a>{% translate ":" context "label separator" %} {{ a.module }} · {{ a.day|date:"d/m/Y" }}</li>{% endfor %}""",
}
WRITERS = {
    "today": start_rows.appointment_rows,
    "week": lambda items: start_rows.appointment_rows(items, True),
    "steps": start_rows.step_rows,
    "deadlines": start_rows.deadline_rows,
    "referrals": start_rows.referral_rows,
    "evaluations": start_rows.evaluation_rows,
    "hours": start_rows.hours_rows,
    "absences": start_rows.absence_rows,
}
NASTY = 'Ann <b>& "Bo" O\'Neil'
DAY, LATE = datetime.date(2026, 3, 9), datetime.date(2025, 12, 31)


def _person(name):
    return Obj(full_name=name)


def _items(card):
    brussels = ZoneInfo("Europe/Brussels")
    if card in ("today", "week"):
        return [
            Obj(
                starts_at=datetime.datetime(2026, 3, 29, 0, 30, tzinfo=datetime.UTC),  # DST day
                client_id=7,
                client=_person(NASTY),
                subject="Intake <i>",
            ),
            Obj(
                starts_at=datetime.datetime(2026, 12, 5, 9, 5, 0, 123456, tzinfo=brussels),
                client_id=123456,
                client=_person("Zoë"),
                subject="",
            ),
        ]
    if card == "steps":
        return [
            StepDue(7, NASTY, "Solliciteren " * 12 + "<script>", LATE, True),
            StepDue(8, "Zoë", "Kort", DAY, False),
        ]
    if card == "deadlines":
        return [
            Obj(client_id=7, client_name=NASTY, problem="gpmi_missing", due=LATE, overdue=True),
            Obj(client_id=9, client_name="Zoë", problem="evaluation", due=DAY, overdue=False),
        ]
    if card == "referrals":
        return [
            Obj(client_id=7, client=_person(NASTY), target_label="VDAB <Gent>", referred_on=LATE),
            Obj(client_id=8, client=_person("Zoë"), target_label="CAW", referred_on=DAY),
        ]
    if card == "evaluations":
        return [
            Obj(
                placement=Obj(pk=41, client=_person(NASTY), organisation=Obj(name="De <Kring>")),
                due_on=LATE,
                overdue=True,
            ),
            Obj(
                placement=Obj(pk=42, client=_person("Zoë"), organisation=Obj(name="Kringwinkel")),
                due_on=DAY,
                overdue=False,
            ),
        ]
    if card == "hours":
        return [MissingHours(7, NASTY, "De <Kring>", datetime.date(2026, 2, 1))]
    return [Absence(7, NASTY, "Nederlands <NT2>", LATE), Absence(8, "Zoë", "Digitaal", DAY)]


def _normalised(html: str) -> str:
    return " ".join(str(html).split())


@pytest.mark.parametrize("language", ["nl", "fr", "en"])
@pytest.mark.parametrize("card", sorted(LOOPS))
def test_the_rows_are_the_template_loops(card, language):
    loop = Template("{% load i18n links %}" + LOOPS[card])
    items = _items(card)
    with translation.override(language), timezone.override("Europe/Brussels"):
        expected = loop.render(Context({"items": items}))
        written = WRITERS[card](items)
        assert _normalised(written) == _normalised(expected)
        assert WRITERS[card]([]) == ""
    assert "&lt;b&gt;&amp;" in written or card not in ("today", "steps", "hours")


# The team table's body as dashboards/_team_table.html wrote it before.
TEAM_LOOP = """{% for load in loads %}<tr{% if worker and worker.pk == load.worker.pk %} aria-current="true"{% endif %}>
    <th scope="row"><a href="{% url 'dashboards:team' %}?worker={{ load.worker.pk }}">{{ load.worker.get_full_name|default:load.worker.username }}</a></th>
    <td class="num">{{ load.dossiers }}</td><td class="num">{{ load.gpmi_overdue }}</td><td class="num">{{ load.steps_overdue }}</td><td class="num">{{ load.referrals_waiting }}</td>
    <td class="num">{% if load.overdue %}<span class="badge warn">{{ load.overdue }}</span>{% else %}0{% endif %}</td></tr>
  {% empty %}<tr><td colspan="6" class="empty">{% translate "Your teams have no workers yet." %}</td></tr>{% endfor %}"""
NEW_TEAM = """{% load i18n start_rows %}{% if loads %}{% team_rows loads %}
  {% else %}<tr><td colspan="6" class="empty">{% translate "Your teams have no workers yet." %}</td></tr>{% endif %}"""


def _worker(pk, first, last, username):
    return Obj(pk=pk, username=username, get_full_name=lambda: f"{first} {last}".strip())


@pytest.mark.parametrize("language", ["nl", "fr", "en"])
@pytest.mark.parametrize("marked", [False, True])
def test_the_team_rows_are_the_template_loop(language, marked, settings):
    from opstap.dashboards.team import WorkerLoad

    settings.USE_THOUSAND_SEPARATOR = True  # numbers written as the template writes them
    ann = _worker(3, "Ann <b>&", '"Bo"', "ann")
    loads = [
        WorkerLoad(ann, dossiers=1234, gpmi_overdue=2, steps_overdue=0, referrals_waiting=1),
        WorkerLoad(_worker(12345, "", "", "no.name@x"), dossiers=0),
    ]
    context = {"loads": loads, **({"worker": ann} if marked else {})}
    with translation.override(language):
        expected = Template("{% load i18n %}" + TEAM_LOOP).render(Context(context))
        written = Template(NEW_TEAM).render(Context(context))
        assert _normalised(written) == _normalised(expected)
        empty = {"loads": []}
        assert _normalised(Template(NEW_TEAM).render(Context(empty))) == _normalised(
            Template("{% load i18n %}" + TEAM_LOOP).render(Context(empty))
        )
    assert ('aria-current="true"' in written) is marked
    assert "Ann &lt;b&gt;&amp;" in written and "no.name@x" in written
