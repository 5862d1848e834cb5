from html import escape

from django import forms
from django.forms.models import ModelChoiceIterator
from django.forms.utils import flatatt
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from opstap.core.choices import ListChoiceField
from opstap.core.escaping import escaped
from opstap.core.models import Office
from opstap.core.prepared import PreparedRead

from .models import Appointment, CareRole, Client, IncomeRight, JournalNote
from .selectors import CASELOAD_FILTERS
from .validators import clean_insz


class DateInput(forms.DateInput):
    """A text date field in DD/MM/YYYY, the way Belgian workers write dates."""

    def __init__(self, attrs=None):
        super().__init__(
            attrs={"placeholder": _("DD/MM/YYYY"), "inputmode": "numeric", **(attrs or {})},
            format="%d/%m/%Y",
        )


class LongSelect(forms.Select):
    """A select of many options (every worker of a large centre), written out in Python:
    the same HTML as forms.Select without one template render per option."""

    def render(self, name, value, attrs=None, renderer=None):
        choices = [choice for choice in self.choices]  # list() would count them first
        if any(isinstance(label, list | tuple) for _value, label in choices):
            return super().render(name, value, attrs, renderer)  # option groups
        selected = set(self.format_value(value))
        options = "".join(
            f'<option value="{escape(key)}"{" selected" if key in selected else ""}>'
            f"{escaped(label)}</option>"
            for key, label in ((str(v), label) for v, label in choices)
        )
        final = {"name": name, **self.build_attrs(self.attrs, attrs)}
        return format_html("<select{}>{}</select>", flatatt(final), mark_safe(options))


class _WorkerChoices(ModelChoiceIterator):
    """Workers as (pk, name) from four columns, not one User object per option."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        rows = self.queryset.values_list("pk", "first_name", "last_name", "username")
        for pk, first_name, last_name, username in rows:
            # User.__str__: get_full_name() or the username
            yield (pk, f"{first_name} {last_name}".strip() or username)


class WorkerChoiceField(forms.ModelChoiceField):
    """A choice of one of the centre's workers, fast to list when there are hundreds."""

    iterator = _WorkerChoices


class ClientForm(forms.ModelForm):
    confirm_duplicate = forms.BooleanField(
        label=_("I checked: this is a different person with the same name and birth date"),
        required=False,
    )

    class Meta:
        model = Client
        fields = [
            "last_name",
            "first_name",
            "birth_date",
            "gender",
            "insz",
            "language",
            "dutch_level",
            "household",
            "phone",
            "email",
            "address",
            "office",
            "ref",
        ]
        widgets = {"birth_date": DateInput()}

    def __init__(self, *args, centre=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["office"].queryset = Office.objects.filter(centre=centre, active=True)
        self.fields["ref"].required = False
        self.fields["ref"].help_text = _("Leave empty to have one made for you.")
        if self.instance.pk is None:
            del self.fields["ref"]
        else:
            del self.fields["confirm_duplicate"]

    def clean_insz(self):
        return clean_insz(self.cleaned_data.get("insz", ""))

    def clean_language(self):
        value = (self.cleaned_data.get("language") or "").strip().lower()
        if not (2 <= len(value) <= 3 and value.isalpha()):
            raise forms.ValidationError(_("Use a language code such as nl, fr or ar."))
        return value

    def service_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("confirm_duplicate", None)
        return data


class RightForm(forms.ModelForm):
    class Meta:
        model = IncomeRight
        fields = ["kind", "start_date", "end_date"]
        widgets = {"start_date": DateInput(), "end_date": DateInput()}


class CareMemberForm(forms.Form):
    user = WorkerChoiceField(label=_("Worker"), queryset=None, widget=LongSelect())
    role = forms.ChoiceField(label=_("Role"), choices=CareRole.choices)
    start_date = forms.DateField(label=_("Start date"), widget=DateInput(), required=False)

    def __init__(self, *args, centre=None, **kwargs):
        super().__init__(*args, **kwargs)
        from opstap.accounts.models import User

        self.fields["user"].queryset = User.objects.filter(centre=centre, is_active=True).exclude(
            roles__contains=",partner,"
        )


class NoteForm(forms.ModelForm):
    class Meta:
        model = JournalNote
        fields = ["occurred_on", "subject", "text", "restricted"]
        widgets = {"occurred_on": DateInput(), "text": forms.Textarea(attrs={"rows": 5})}


class AppointmentForm(forms.ModelForm):
    class Meta:
        model = Appointment
        fields = ["starts_at", "duration_minutes", "subject", "location"]
        widgets = {
            "starts_at": forms.DateTimeInput(
                attrs={"placeholder": _("DD/MM/YYYY HH:MM")}, format="%d/%m/%Y %H:%M"
            )
        }


# The centre's offices, offered on every caseload page (the filter's queryset, built once).
_OFFICES = PreparedRead(lambda centre_id: Office.objects.filter(centre_id=centre_id))


class CaseloadFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, help_text=_("Name, INSZ or reference"))
    office = ListChoiceField(label=_("Office"), queryset=None, required=False)
    right = forms.ChoiceField(
        label=_("Income right"),
        required=False,
        choices=[("", _("All")), ("active", _("Active right")), ("none", _("No active right"))],
    )
    care_role = forms.ChoiceField(
        label=_("My role"), required=False, choices=[("", _("All"))] + list(CareRole.choices)
    )
    scope = forms.ChoiceField(
        label=_("Show"),
        required=False,
        choices=[("mine", _("My clients")), ("team", _("My team's clients"))],
    )

    def __init__(self, *args, centre=None, scope="mine", show_scope=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["office"].queryset = Office.objects.filter(centre=centre)
        if centre is not None:
            self.fields["office"].listed = lambda: _OFFICES.list(centre.pk)
        self.fields["scope"].initial = scope
        if not show_scope:
            del self.fields["scope"]
        for caseload_filter in CASELOAD_FILTERS:
            self.fields.update(caseload_filter.fields(centre))
