"""The fast form renderer writes exactly what Django's widget templates write."""

from __future__ import annotations

import datetime

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from opstap.core.forms_renderer import FormRenderer


class Everything(forms.Form):
    name = forms.CharField(max_length=20, help_text="x")
    email = forms.EmailField(required=False)
    amount = forms.DecimalField(required=False, widget=forms.NumberInput(attrs={"step": "0.5"}))
    day = forms.DateField(required=False, widget=forms.DateInput(format="%d/%m/%Y"))
    when = forms.DateTimeField(required=False)
    secret = forms.CharField(required=False, widget=forms.PasswordInput(render_value=True))
    version = forms.IntegerField(widget=forms.HiddenInput)
    agree = forms.BooleanField(required=False)
    kind = forms.ChoiceField(
        choices=[("", "All"), ("a&b", 'A "quoted" <b>'), ("c", gettext_lazy("Volunteering"))]
    )
    grouped = forms.ChoiceField(
        required=False,
        choices=[("", "—"), ("Group <1>", [("1", "One"), ("2", "Two")]), ("3", "Three")],
    )
    many = forms.MultipleChoiceField(required=False, choices=[("x", "X"), ("y", "Y"), ("z", "Z")])
    maybe = forms.NullBooleanField(required=False)
    disabled = forms.ChoiceField(required=False, disabled=True, choices=[("1", "One")])
    safe = forms.ChoiceField(required=False, choices=[("s", mark_safe("<em>safe</em>"))])
    note = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))
    rung = forms.ChoiceField(
        choices=[("1", "One & <b>"), ("2", gettext_lazy("Volunteering")), (3, 1234.5)],
        widget=forms.RadioSelect(attrs={"class": "rungs"}),
    )
    grouped_radio = forms.ChoiceField(
        required=False,
        choices=[("", "—"), ("Group <1>", [("1", "One"), ("2", "Two")]), ("3", "Three")],
        widget=forms.RadioSelect,
    )
    ticks = forms.MultipleChoiceField(
        required=False,
        choices=[("x", "X"), ("y", mark_safe("<em>Y</em>")), ("z", "Z")],
        widget=forms.CheckboxSelectMultiple,
    )


DATA = {
    "name": 'Jan "de" <Smet> & co',
    "email": "",
    "amount": "7.5",
    "day": "01/02/2024",
    "when": "2024-02-01 10:30",
    "secret": "p<w>",
    "version": "3",
    "agree": "on",
    "kind": "a&b",
    "grouped": "2",
    "many": ["x", "z"],
    "maybe": "true",
    "safe": "s",
    "note": 'Line one\n<script>"two"</script> & more',
    "rung": "2",
    "grouped_radio": "2",
    "ticks": ["x", "y"],
}


@pytest.mark.parametrize(
    "kwargs",
    [
        {},
        {"data": DATA},
        {"initial": {"day": datetime.date(2024, 3, 1), "agree": True, "many": ["y"]}},
        {"initial": {"note": mark_safe("<b>kept</b>"), "rung": 3, "ticks": ["z"]}},
        {"auto_id": False, "data": DATA},
    ],
    ids=["empty", "bound", "initial", "safe-initial", "no-ids"],
)
@pytest.mark.parametrize("language", ["nl", "en"])
def test_widgets_render_as_with_the_templates(kwargs, language):
    with translation.override(language):
        templates = Everything(renderer=DjangoTemplates(), **kwargs)
        fast = Everything(renderer=FormRenderer(), **kwargs)
        for field in templates:
            assert str(fast[field.name]) == str(field), field.name


def test_the_project_uses_it(settings):
    assert settings.FORM_RENDERER == "opstap.core.forms_renderer.FormRenderer"
    assert 'value="Jan &quot;de&quot; &lt;Smet&gt; &amp; co"' in str(Everything(DATA)["name"])


def test_radio_buttons_are_written_without_the_templates(monkeypatch):
    """The radio group, its options and the textarea no longer reach the template engine."""
    drawn = []
    original = DjangoTemplates.render

    def render(self, template_name, context, request=None):
        drawn.append(template_name)
        return original(self, template_name, context, request)

    monkeypatch.setattr(DjangoTemplates, "render", render)
    form = Everything(DATA, renderer=FormRenderer())
    html = str(form["rung"]) + str(form["note"]) + str(form["ticks"])
    assert 'id="id_rung_1" checked>' in html and "&lt;script&gt;" in html
    assert drawn == []


def test_an_option_with_its_own_template_goes_through_the_templates():
    class Fancy(forms.Select):
        option_template_name = "django/forms/widgets/radio_option.html"

    html = forms.ChoiceField(choices=[("1", "One")], widget=Fancy).widget.render(
        "f", "1", renderer=FormRenderer()
    )
    assert "<label><input" in html  # the option's own template drew it
