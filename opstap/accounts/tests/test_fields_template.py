"""accounts/_fields.html draws every field but a group of checkboxes with the Python field
writer (opstap.core.form_fields): the same HTML as the template it replaced (kept as
fields_reference.html), for the administrators' user form and a form of every kind."""

from pathlib import Path

import pytest
from django.template import engines
from django.utils import translation

from opstap.accounts.forms import UserForm
from opstap.core.tests.test_form_fields import EveryKind

REFERENCE = Path(__file__).parent / "fields_reference.html"


def _forms(centre, team_a):
    bad = {"username": "", "roles": ["nobody"], "teams": ["999999"], "email": "x"}
    return [
        UserForm(centre=centre),
        UserForm(bad, centre=centre),
        UserForm({"username": "an", "roles": ["head"], "teams": [team_a.pk]}, centre=centre),
        UserForm(centre=None),  # no teams to choose: "Nothing to choose yet."
        EveryKind(),
        EveryKind({"name": "too long <x>", "kind": "z"}, prefix="p"),
    ]


@pytest.mark.parametrize("language", ["nl", "fr", "en"])
def test_same_html_as_the_template(centre, team_a, language):
    engine = engines["django"]
    old = engine.from_string(REFERENCE.read_text())
    new = engine.get_template("accounts/_fields.html")
    with translation.override(language):
        for form in _forms(centre, team_a):
            form.is_valid()
            written = new.render({"form": form})
            assert written == old.render({"form": form}), type(form).__name__
    assert "<fieldset" in written and "<legend>" in written and 'class="field' in written
