"""Forms of the modules pages: they only translate between HTTP and the services."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from opstap.accounts.models import User
from opstap.clients.forms import DateInput
from opstap.network.models import Organisation

from .models import AbsenceReason, Edition, Module, PhaseKind, StepOwner

DATE_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]


def _date(label, required=True, **kwargs) -> forms.DateField:
    return forms.DateField(
        label=label, required=required, input_formats=DATE_FORMATS, widget=DateInput(), **kwargs
    )


class ModuleFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    show = forms.ChoiceField(
        label=_("Show"),
        required=False,
        choices=[("active", _("Active modules")), ("inactive", _("Inactive")), ("all", _("All"))],
    )


class ModuleForm(forms.ModelForm):
    class Meta:
        model = Module
        fields = [
            "ref",
            "name_nl",
            "name_fr",
            "name_en",
            "goal_nl",
            "goal_fr",
            "goal_en",
            "target_gender",
            "age_min",
            "age_max",
            "non_native_only",
            "dutch_level_min",
            "dutch_level_max",
            "target_group",
            "method",
            "partners",
            "steering_group",
            "steering_members",
            "description_nl",
            "description_fr",
            "description_en",
            "active",
        ]
        widgets = {
            name: forms.Textarea(attrs={"rows": 3})
            for name in [
                "goal_nl",
                "goal_fr",
                "goal_en",
                "target_group",
                "method",
                "steering_group",
                "description_nl",
                "description_fr",
                "description_en",
            ]
        }

    def __init__(self, *args, centre, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ref"].required = False
        self.fields["ref"].help_text = _("Left empty, a reference is made for you.")
        self.fields["partners"].queryset = Organisation.objects.filter(centre=centre, active=True)
        self.fields["steering_members"].queryset = User.objects.filter(
            centre=centre, is_active=True
        ).order_by("last_name", "first_name")
        self.fields["partners"].widget.attrs["size"] = 6
        self.fields["steering_members"].widget.attrs["size"] = 6

    def _post_clean(self):  # the service validates the model
        pass

    def service_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data["partners"] = list(data.get("partners") or [])
        data["steering_members"] = list(data.get("steering_members") or [])
        return data


class EditionForm(forms.ModelForm):
    start_date = _date(_("start date"), help_text=_("The first day of week 1."))
    end_date = _date(
        _("end date"),
        required=False,
        help_text=_("Left empty, the week schedule sets it."),
    )

    class Meta:
        model = Edition
        fields = ["ref", "start_date", "end_date", "start_time", "capacity", "cost_eur", "location"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ref"].required = False
        self.fields["ref"].help_text = _("Left empty, a reference is made for you.")
        self.fields["start_time"].widget = forms.TimeInput(format="%H:%M")

    def _post_clean(self):
        pass

    def service_fields(self) -> dict:
        data = dict(self.cleaned_data)
        if not data.get("end_date"):
            data["end_date"] = data["start_date"]
        return data


class PhaseForm(forms.Form):
    kind = forms.ChoiceField(label=_("What"), choices=[("", "—"), *PhaseKind.choices])
    label = forms.CharField(label=_("Title"), required=False, max_length=120)
    weeks = forms.IntegerField(label=_("Weeks"), min_value=1, max_value=60)
    hours = forms.DecimalField(label=_("Hours"), min_value=0, max_digits=6, decimal_places=2)
    days_per_week = forms.DecimalField(
        label=_("Days per week"), min_value=0.5, max_value=5, max_digits=3, decimal_places=1
    )


PhaseFormSet = forms.formset_factory(PhaseForm, extra=2, can_delete=True)


class ProposeForm(forms.Form):
    override_reason = forms.CharField(
        label=_("Why should the client take part anyway?"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Needed when the client is outside the target group."),
    )


class ClientSearchForm(forms.Form):
    q = forms.CharField(label=_("Find a client of yours"), required=False, max_length=100)


class SessionMoveForm(forms.Form):
    date = _date(_("New date"))
    start_time = forms.TimeField(
        label=_("Start time"), required=False, widget=forms.TimeInput(format="%H:%M")
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=250)


class SessionCancelForm(forms.Form):
    note = forms.CharField(label=_("Why is it cancelled?"), max_length=250)


class DropForm(forms.Form):
    left_on = _date(_("Left on"))
    reason = forms.CharField(label=_("Reason"), max_length=250)


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=250, required=False)


class EvaluationForm(forms.Form):
    evaluation = forms.CharField(
        label=_("Evaluation"), required=False, widget=forms.Textarea(attrs={"rows": 5})
    )


class StepForm(forms.Form):
    text = forms.CharField(label=_("Step"), max_length=300)
    owner = forms.ChoiceField(label=_("Who"), choices=StepOwner.choices)
    due_date = _date(_("Due date"), required=False)


REASON_CHOICES = [("", "—"), *AbsenceReason.choices]
