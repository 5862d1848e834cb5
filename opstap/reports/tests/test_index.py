"""The reports index's links, made once per language, are what the template wrote."""

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from opstap.reports.registry import all_reports
from opstap.reports.views import index_entries, index_html

# The list of reports/index.html before its links were made once per language.
REFERENCE = Template(
    "{% for r in reports %}"
    "<li><a href=\"{% url 'reports:report' r.name %}\">{{ r.title }}</a>"
    '{% if r.description %}<br><small class="muted">{{ r.description }}</small>{% endif %}</li>'
    "{% endfor %}"
)
# The same list from the entries made once per language.
WRITTEN = Template(
    "{% for r in reports %}"
    '<li><a href="{{ r.url }}">{{ r.title }}</a>'
    '{% if r.description %}<br><small class="muted">{{ r.description }}</small>{% endif %}</li>'
    "{% endfor %}"
)


@pytest.mark.parametrize("language", ["nl", "fr", "en"])
def test_same_links_as_the_template_in_every_language(language):
    with translation.override(language):
        expected = REFERENCE.render(Context({"reports": all_reports()}))
        written = WRITTEN.render(Context({"reports": index_entries()}))
        html = index_html()  # as reports/index.html now writes it
    assert written == expected
    assert html == expected
    assert expected.count("<li>") == len(all_reports()) >= 8


def test_each_language_keeps_its_own_titles():
    with translation.override("fr"):
        french = [entry.title for entry in index_entries()]
    with translation.override("nl"):
        dutch = [entry.title for entry in index_entries()]
    with translation.override("fr"):
        assert [entry.title for entry in index_entries()] == french
    assert french != dutch
    assert [entry.url for entry in index_entries()] == [
        reverse("reports:report", args=[report.name]) for report in all_reports()
    ]


@pytest.mark.parametrize("language", ["fr", "nl"])
def test_index_page_shows_the_titles_in_the_page_language(client, maria, language):
    client.force_login(maria)
    client.get(reverse("reports:index"), HTTP_ACCEPT_LANGUAGE="en")  # another language first
    page = client.get(reverse("reports:index"), HTTP_ACCEPT_LANGUAGE=language)
    page = page.content.decode()
    assert f'<html lang="{language}">' in page
    with translation.override(language):
        for entry in index_entries():
            assert f'<a href="{entry.url}">{escape(entry.title)}</a>' in page
        assert index_html() in page
