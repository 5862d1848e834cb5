"""The form fields written in Python (opstap.core.form_fields) are what form_fields.html's
template loop wrote: rendered beside the old template (kept as form_fields_reference.html)
for fields of every kind, unbound and bound with errors, in every language."""

from pathlib import Path

import pytest
from django import forms
from django.template import engines
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from opstap.clients.forms import CaseloadFilterForm, ClientForm
from opstap.factories import OfficeFactory
from opstap.reports.params import ReportParamsForm

REFERENCE = Path(__file__).parent / "form_fields_reference.html"


class EveryKind(forms.Form):
    name = forms.CharField(label="Naam <& 'co'>", help_text="Help & <tips>", max_length=5)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea)
    agreed = forms.BooleanField(label=_("Agreed"), required=False)
    must = forms.BooleanField(label="Must", help_text=_("Required"))
    secret = forms.CharField(widget=forms.HiddenInput, required=False)
    kind = forms.ChoiceField(choices=[("a", "A & B"), ("b", "<b>")])
    way = forms.ChoiceField(choices=[("x", "X"), ("y", "Y")], widget=forms.RadioSelect)
    days = forms.MultipleChoiceField(
        choices=[("1", "Mon"), ("2", "Tue")], widget=forms.CheckboxSelectMultiple, required=False
    )
    when = forms.DateField(required=False)
    count = forms.IntegerField(min_value=1, required=False)


def _both(form) -> tuple[str, str]:
    engine = engines["django"]
    old = engine.from_string(REFERENCE.read_text()).render({"form": form})
    new = engine.get_template("form_fields.html").render({"form": form})
    return old, new


def _forms(centre):
    OfficeFactory(centre=centre, name="Noord & Zuid")
    bad = {"name": "too long <x>", "kind": "z", "when": "31/02", "count": "0", "secret": "s"}
    return [
        EveryKind(),
        EveryKind(bad),
        EveryKind(bad, prefix="p"),
        EveryKind(bad, auto_id=False),
        EveryKind(initial={"name": "An", "agreed": True, "days": ["2"]}),
        CaseloadFilterForm(centre=centre, show_scope=True),
        CaseloadFilterForm({"office": "999999", "right": "?"}, centre=centre),
        ReportParamsForm(("from", "to", "year"), {"from": "x", "year": "1"}),
        ClientForm({}, centre=centre),
        None,
    ]


@pytest.mark.parametrize("language", ["nl", "fr", "en"])
def test_same_html_as_the_template_loop(centre, language):
    with translation.override(language):
        for form in _forms(centre):
            if form is not None:
                form.is_valid()
            old, new = _both(form)
            assert new == old, type(form).__name__


def test_what_it_writes(centre):
    form = EveryKind({"name": "too long <x>"})
    form.is_valid()
    html = _both(form)[1]
    assert '<div class="field has-error">' in html
    assert '<div class="field has-error field-check">' in html  # the required checkbox
    assert "Naam &lt;&amp; &#x27;co&#x27;&gt;" in html and "Help &amp; &lt;tips&gt;" in html
    assert '<p class="field-error" id="id_name_error">' in html
    assert '<input type="hidden" name="secret" id="id_secret">' in html
