"""ListChoiceField: the options of Django's ModelChoiceField, read with one plain query."""

from django import forms
from django.db import connection
from django.test.utils import CaptureQueriesContext

from opstap.core.choices import ListChoiceField, ListMultipleChoiceField
from opstap.core.models import Office
from opstap.factories import OfficeFactory


def _forms(centre):
    queryset = Office.objects.filter(centre=centre).order_by("name")

    class Plain(forms.Form):
        one = forms.ModelChoiceField(queryset=queryset, required=False)
        many = forms.ModelMultipleChoiceField(queryset=queryset, required=False)

    class Listed(forms.Form):
        one = ListChoiceField(queryset=queryset, required=False)
        many = ListMultipleChoiceField(queryset=queryset, required=False)

    return Plain, Listed


def test_same_html_and_cleaning_as_djangos_fields(centre, other_centre):
    offices = [OfficeFactory(centre=centre, name=n) for n in ("Zuid", "Noord", "<Oost & West>")]
    OfficeFactory(centre=other_centre, name="Elders")
    plain, listed = _forms(centre)
    data = {"one": offices[0].pk, "many": [offices[1].pk, offices[2].pk]}
    for bound in ({}, data):
        assert str(listed(bound or None)) == str(plain(bound or None))
    form = listed(data)
    assert form.is_valid()
    assert form.cleaned_data["one"] == offices[0]
    assert set(form.cleaned_data["many"]) == {offices[1], offices[2]}
    assert "&lt;Oost &amp; West&gt;" in str(form["one"])
    assert "Elders" not in str(form)


def test_one_plain_query_per_select(centre):
    OfficeFactory(centre=centre, name="Zuid")
    _, listed = _forms(centre)
    with CaptureQueriesContext(connection) as queries:
        html = str(listed()["one"])
    assert "Zuid" in html
    assert len(queries.captured_queries) == 1
    assert queries.captured_queries[0]["sql"].lstrip().upper().startswith("SELECT")
