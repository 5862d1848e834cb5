"""Forms of the GPMI pages. They only translate HTTP to the services' arguments."""

from __future__ import annotations

import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from opstap.clients.forms import DateInput
from opstap.core.choices import ListMultipleChoiceField

from .models import (
    ExemptionGround,
    GoalStatus,
    Gpmi,
    GpmiGoal,
    GpmiKind,
    GpmiStep,
    LifeDomain,
    Priority,
    SanctionDecision,
)
from .services import CONTRACT_FIELDS

DATE_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]


def _date(label, required=True, help_text="", initial=None) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        input_formats=DATE_FORMATS,
        widget=DateInput(),
        help_text=help_text,
        initial=initial,
    )


class VersionForm(forms.Form):
    """Carries the contract version the user saw, so a stale save is refused."""

    version = forms.IntegerField(widget=forms.HiddenInput)


class CreateForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of contract"), choices=GpmiKind.choices)
    priorities = ListMultipleChoiceField(
        label=_("Priorities chosen with the client"),
        queryset=Priority.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Each priority becomes a goal you can then word with the client."),
    )
    needs_analysis = forms.CharField(
        label=_("Needs analysis"), widget=forms.Textarea(attrs={"rows": 5}), required=False
    )
    balance = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, centre, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["priorities"].queryset = Priority.objects.filter(
            domain__centre=centre, active=True, domain__active=True
        ).select_related("domain")


class ContractForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = Gpmi
        fields = [*CONTRACT_FIELDS, "supports"]
        widgets = {
            "start_date": DateInput(),
            "end_date": DateInput(),
            "exam_results_due": DateInput(),
            "needs_analysis": forms.Textarea(attrs={"rows": 4}),
            "client_commitments": forms.Textarea(attrs={"rows": 4}),
            "centre_commitments": forms.Textarea(attrs={"rows": 4}),
            "evaluation_arrangements": forms.Textarea(attrs={"rows": 3}),
            "supports": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, offers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["supports"].queryset = offers
        self.fields["supports"].label = _("Support from the catalogue")
        for name in ("start_date", "end_date", "exam_results_due"):
            self.fields[name].input_formats = DATE_FORMATS
        self.fields["start_date"].required = True
        if self.instance.kind != GpmiKind.STUDENT and not self.data.get("kind") == "student":
            self.fields["school"].help_text = _("Only for a student contract.")

    def service_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in [*CONTRACT_FIELDS, "supports"]}


class GoalForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = GpmiGoal
        fields = ["domain", "priority", "text", "status"]
        widgets = {"text": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, centre, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["domain"].queryset = LifeDomain.objects.filter(centre=centre, active=True)
        self.fields["priority"].queryset = Priority.objects.filter(
            domain__centre=centre, active=True
        ).select_related("domain")
        self.fields["priority"].label_from_instance = lambda p: f"{p.domain.label} › {p.label}"

    def service_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in self._meta.fields}


class GoalStatusForm(VersionForm):
    status = forms.ChoiceField(label=_("Status"), choices=GoalStatus.choices)


class StepForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = GpmiStep
        fields = ["text", "owner", "due_date", "done_on"]
        widgets = {
            "text": forms.Textarea(attrs={"rows": 2}),
            "due_date": DateInput(),
            "done_on": DateInput(),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("due_date", "done_on"):
            self.fields[name].input_formats = DATE_FORMATS

    def service_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in self._meta.fields}


class StepDoneForm(VersionForm):
    done_on = _date(_("Done on"), initial=datetime.date.today)


class ThirdPartyForm(VersionForm):
    name = forms.CharField(label=_("Name"), max_length=150)
    organisation = forms.CharField(label=_("Organisation"), max_length=200, required=False)
    role = forms.CharField(label=_("Role in the contract"), max_length=200, required=False)


class ProposeForm(VersionForm):
    proposed_on = _date(
        _("Proposed to the client on"),
        initial=datetime.date.today,
        help_text=_("The client then has 5 calendar days to reflect before signing."),
    )


class SignForm(VersionForm):
    signed_on = _date(_("Signed by the client on"))
    centre_signed_on = _date(_("Signed by the centre on"))
    committee_decision_on = _date(_("Date of the special committee's decision"))
    assisted_by = forms.CharField(
        label=_("Client assisted by"),
        max_length=200,
        required=False,
        help_text=_("A person of the client's choice who helped them, if any."),
    )
    early_signature_reason = forms.CharField(
        label=_("Reason to sign before the end of the reflection period"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text=_("Only needed when the client signs within 5 days of the proposal."),
    )


class EndForm(VersionForm):
    ended_on = _date(_("Ended on"), initial=datetime.date.today)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class AmendForm(VersionForm):
    amended_on = _date(_("Amended on"), initial=datetime.date.today)
    reason = forms.CharField(
        label=_("Reason for the amendment"), widget=forms.Textarea(attrs={"rows": 2})
    )


class ExemptForm(forms.Form):
    ground = forms.ChoiceField(label=_("Ground"), choices=ExemptionGround.choices)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))
    exempted_on = _date(_("Decided on"), initial=datetime.date.today)


class EvaluationForm(forms.Form):
    date = _date(_("Date of the evaluation"), initial=datetime.date.today)
    in_person = forms.BooleanField(
        label=_("In a personal conversation with the client"), required=False, initial=True
    )
    summary = forms.CharField(
        label=_("Agreed changes"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("What you agreed to change; amend the contract for changes to its goals."),
    )

    def __init__(self, *args, goals=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.goal_fields = []
        for goal in goals:
            name = f"progress_{goal.pk}"
            self.fields[name] = forms.CharField(
                label=_("Progress: %(goal)s") % {"goal": goal.text[:80]},
                widget=forms.Textarea(attrs={"rows": 2}),
                required=False,
            )
            self.goal_fields.append((goal.pk, name))

    def progress(self) -> dict[int, str]:
        return {pk: self.cleaned_data.get(name, "") for pk, name in self.goal_fields}


class WarningForm(forms.Form):
    breach = forms.CharField(
        label=_("Breach of the contract"), widget=forms.Textarea(attrs={"rows": 3})
    )
    warning_on = _date(_("Formal warning given on"), initial=datetime.date.today)


class HearingForm(forms.Form):
    hearing_on = _date(_("Hearing on"))
    notes = forms.CharField(
        label=_("Notes of the hearing"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(label=_("Decision"), choices=SanctionDecision.choices)
    decided_on = _date(_("Decided on"), initial=datetime.date.today)
    reason = forms.CharField(
        label=_("Reason for the decision"), widget=forms.Textarea(attrs={"rows": 3})
    )
    suspension_start = _date(_("Suspension from"), required=False)
    suspension_end = _date(
        _("Suspension until"),
        required=False,
        help_text=_("At most 1 month; at most 3 months when repeated within 12 months."),
    )
    partial_percent = forms.IntegerField(
        label=_("Part suspended (%)"), required=False, min_value=1, max_value=99
    )


class DomainForm(forms.ModelForm):
    class Meta:
        model = LifeDomain
        fields = ["code", "label_nl", "label_fr", "label_en", "position", "active"]


class PriorityForm(forms.ModelForm):
    class Meta:
        model = Priority
        fields = ["code", "label_nl", "label_fr", "label_en", "position", "active"]
