"""Management's parts of the start page, written once per language, are what home.html's
template wrote."""

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

from opstap.dashboards.home import start_parts

# home.html before these parts were written in Python.
KEY_FIGURES = Template(
    "{% load i18n %}"
    '<section class="card" id="key-figures" aria-labelledby="figures-title" aria-busy="true"\n'
    '  hx-get="{% url \'dashboards:key-figures\' %}" hx-trigger="load" hx-swap="outerHTML">\n'
    '  <h2 id="figures-title">{% translate "Key figures" %}</h2>\n'
    '  <p class="muted"><a href="{% url \'dashboards:key-figures\' %}">'
    '{% translate "Show the key figures" %}</a> · {% translate "They count every client of the '
    'centre, so they come a moment after the rest of this page." %}</p>\n'
    "</section>"
)
SHORTCUTS = Template(
    "{% load i18n %}"
    '<li><a href="{% url \'dashboards:flow\' %}">{% translate "Flow analytics" %}</a></li>\n'
    '    <li><a href="{% url \'reports:index\' %}">{% translate "Reports" %}</a></li>\n'
    '    <li><a href="{% url \'dashboards:yearly\' %}">{% translate "Yearly report" %}</a></li>'
)


@pytest.mark.parametrize("language", ["nl", "fr", "en"])
def test_the_parts_are_what_the_template_wrote(language):
    with translation.override(language):
        parts = start_parts()
        assert parts["key_figures"] == KEY_FIGURES.render(Context())
        assert parts["figure_shortcuts"] == SHORTCUTS.render(Context())
    with translation.override("en"):
        english = start_parts()
    assert (parts == english) == (language == "en")


@pytest.mark.parametrize("language", ["nl", "fr"])
def test_managements_start_page_shows_them_in_its_language(client, maria, carol, language):
    client.force_login(maria)
    page = client.get(reverse("core:home"), HTTP_ACCEPT_LANGUAGE=language).content.decode()
    with translation.override(language):
        parts = start_parts()
    assert parts["key_figures"] in page and parts["figure_shortcuts"] in page
    client.force_login(carol)  # a head sees the key figures too
    page = client.get(reverse("core:home"), HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert parts["key_figures"] in page


def test_translations_are_escaped(monkeypatch):
    from opstap.dashboards import home

    monkeypatch.setattr(home, "gettext", lambda text: f"{text} <&'>")
    home._start_parts.cache_clear()
    try:
        parts = start_parts()
    finally:
        home._start_parts.cache_clear()
    for html in parts.values():
        assert "<&'>" not in html and html.count("&lt;&amp;&#x27;&gt;") >= 2
