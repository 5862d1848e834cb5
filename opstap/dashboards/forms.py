import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from opstap.clients.forms import DateInput
from opstap.reports.params import DATE_FORMATS

from .analytics import AGE_BANDS, FlowFilters, filter_choices


class FlowFilterForm(forms.Form):
    """The period and the population filters of the flow page."""

    office = forms.TypedChoiceField(label=_("Office"), required=False, coerce=int, empty_value=None)
    team = forms.TypedChoiceField(label=_("Team"), required=False, coerce=int, empty_value=None)
    age = forms.ChoiceField(label=_("Age"), required=False)
    gender = forms.ChoiceField(label=_("Gender"), required=False)
    language = forms.ChoiceField(label=_("Language"), required=False)

    def __init__(self, centre, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # "from" and "to", as on the report pages ("from" cannot be a class attribute).
        period = {
            "from": forms.DateField(
                label=_("From"), required=False, input_formats=DATE_FORMATS, widget=DateInput()
            ),
            "to": forms.DateField(
                label=_("To"), required=False, input_formats=DATE_FORMATS, widget=DateInput()
            ),
        }
        self.fields = {**period, **self.fields}
        choices = filter_choices(centre)
        everyone = [("", _("All"))]
        self.fields["office"].choices = everyone + [(o.pk, o.name) for o in choices["offices"]]
        self.fields["team"].choices = everyone + [(t.pk, t.name) for t in choices["teams"]]
        self.fields["age"].choices = everyone + [(k, label) for k, label, _a, _b in AGE_BANDS]
        self.fields["gender"].choices = everyone + list(choices["genders"])
        self.fields["language"].choices = everyone + [(c, c) for c in choices["languages"]]

    def clean(self):
        data = super().clean()
        today = datetime.date.today()
        data["from"] = data.get("from") or datetime.date(today.year, 1, 1)
        data["to"] = data.get("to") or max(today, data["from"])
        if data["to"] < data["from"]:
            self.add_error("to", _("The end of the period cannot be before its start."))
        return data

    def filters(self) -> FlowFilters:
        d = self.cleaned_data
        return FlowFilters(
            start=d["from"],
            end=d["to"],
            office_id=d.get("office"),
            team_id=d.get("team"),
            age_band=d.get("age") or "",
            gender=d.get("gender") or "",
            language=d.get("language") or "",
        )


class ReassignForm(forms.Form):
    """Move dossiers to another reference worker; the service checks the choices."""

    to_worker = forms.ChoiceField(label=_("New reference worker"), required=False)
    clients = forms.MultipleChoiceField(
        label=_("Dossiers"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, colleagues=(), dossiers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_worker"].choices = [("", "—")] + [
            (str(w.pk), w.get_full_name() or w.username) for w in colleagues
        ]
        self.fields["clients"].choices = [(str(c.pk), str(c)) for c in dossiers]


class YearForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=1990, max_value=2100)
