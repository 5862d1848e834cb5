"""Report parameters: one form parses them for the page, the API and the command line."""

from __future__ import annotations

import datetime
from collections.abc import Mapping

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from opstap.clients.forms import DateInput

DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]
PARAM_NAMES = ("date", "from", "to", "year", "month")


def _date_field(label) -> forms.DateField:
    return forms.DateField(
        label=label, required=False, input_formats=DATE_FORMATS, widget=DateInput()
    )


def _field(name: str) -> forms.Field:
    if name == "date":
        return _date_field(_("Date"))
    if name == "from":
        return _date_field(_("From"))
    if name == "to":
        return _date_field(_("To"))
    if name == "year":
        return forms.IntegerField(label=_("Year"), required=False, min_value=1990, max_value=2100)
    if name == "month":
        return forms.RegexField(
            label=_("Month"),
            required=False,
            regex=r"^\d{4}-(0[1-9]|1[0-2])$",
            help_text=_("YYYY-MM, e.g. 2024-03"),
            error_messages={"invalid": _("Enter a month as YYYY-MM.")},
        )
    raise ValueError(name)


def param_label(name: str) -> str:
    """The translated label of a parameter (its name for one this module does not know)."""
    return _field(name).label if name in PARAM_NAMES else name


class ReportParamsForm(forms.Form):
    """The report's parameters; missing ones get a default (today, this year, this month)."""

    def __init__(self, names: tuple[str, ...], *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in names:
            self.fields[name] = _field(name)
        self.names = names

    def clean(self):
        data = super().clean()
        today = datetime.date.today()
        if "date" in self.names and not data.get("date"):
            data["date"] = today
        if "year" in self.names and data.get("year") and not (data.get("from") or data.get("to")):
            data["from"] = datetime.date(data["year"], 1, 1)
            data["to"] = datetime.date(data["year"], 12, 31)
        if "from" in self.names:
            data["from"] = data.get("from") or datetime.date(today.year, 1, 1)
            data["to"] = data.get("to") or max(today, data["from"])
            if data["to"] < data["from"]:
                self.add_error("to", _("The end of the period cannot be before its start."))
        if "month" in self.names and not data.get("month"):
            data["month"] = f"{today:%Y-%m}"
        return data


def parse_params(report, raw: Mapping) -> dict:
    """The report's parameters from strings (ISO or DD/MM/YYYY dates), or a ValidationError."""
    data = {name: raw.get(name) for name in report.params if raw.get(name) not in (None, "")}
    form = ReportParamsForm(report.params, data)
    if not form.is_valid():
        raise ValidationError(
            {field: [str(e) for e in errors] for field, errors in form.errors.items()}
        )
    return {name: form.cleaned_data.get(name) for name in report.params}
