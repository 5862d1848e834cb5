"""The fast form renderer writes exactly what Django's widget templates write."""

from __future__ import annotations

import datetime

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
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
}


@pytest.mark.parametrize(
    "kwargs",
    [
        {},
        {"data": DATA},
        {"initial": {"day": datetime.date(2024, 3, 1), "agree": True, "many": ["y"]}},
    ],
    ids=["empty", "bound", "initial"],
)
def test_widgets_render_as_with_the_templates(kwargs):
    templates = Everything(renderer=DjangoTemplates(), **kwargs)
    fast = Everything(renderer=FormRenderer(), **kwargs)
    for field in templates:
        assert str(fast[field.name]) == str(field), field.name


def test_the_project_uses_it(settings):
    assert settings.FORM_RENDERER == "opstap.core.forms_renderer.FormRenderer"
    assert 'value="Jan &quot;de&quot; &lt;Smet&gt; &amp; co"' in str(Everything(DATA)["name"])


def test_an_option_with_its_own_template_goes_through_the_templates():
    class Fancy(forms.Select):
        option_template_name = "django/forms/widgets/radio_option.html"

    html = forms.ChoiceField(choices=[("1", "One")], widget=Fancy).widget.render(
        "f", "1", renderer=FormRenderer()
    )
    assert "<label><input" in html  # the option's own template drew it
