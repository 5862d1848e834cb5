"""Forms of the activation pages: they translate HTTP to the services, nothing more."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from opstap.clients.forms import DateInput
from opstap.core.choices import ListChoiceField
from opstap.network.models import Organisation, Place

from .models import (
    EndReason,
    Evaluation,
    Kind,
    MutationBy,
    Regime,
    Status,
    Track,
)

DATE_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]


def _date(label, required=False, help_text=""):
    return forms.DateField(
        label=label,
        required=required,
        input_formats=DATE_FORMATS,
        widget=DateInput(),
        help_text=help_text,
    )


def _blank(choices, label):
    return [("", label), *choices]


class PlacementFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=_blank(Kind.choices, _("All kinds"))
    )
    track = forms.ChoiceField(
        label=_("Track"), required=False, choices=_blank(Track.choices, _("All tracks"))
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All statuses")), ("open", _("Not ended")), *Status.choices],
    )
    organisation = ListChoiceField(
        label=_("Organisation"),
        required=False,
        queryset=Organisation.objects.none(),
        empty_label=_("All organisations"),
    )

    def __init__(self, *args, organisations=None, **kwargs):
        super().__init__(*args, **kwargs)
        if organisations is not None:
            self.fields["organisation"].queryset = organisations


class PlacementForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Kind.choices)
    track = forms.ChoiceField(
        label=_("Track"),
        required=False,
        choices=_blank(Track.choices, "—"),
        help_text=_("Required for volunteering and work-care."),
    )
    organisation = ListChoiceField(label=_("Organisation"), queryset=Organisation.objects.none())
    place = ListChoiceField(
        label=_("Place"), required=False, queryset=Place.objects.none(), empty_label="—"
    )
    start = _date(_("Start"), help_text=_("Leave empty until the client starts."))
    weekly_hours = forms.DecimalField(
        label=_("Hours per week"), required=False, min_value=0, max_value=168, decimal_places=1
    )
    ref = forms.CharField(
        label=_("Reference"),
        required=False,
        max_length=64,
        help_text=_("Leave empty to number it automatically."),
    )
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, organisations, places, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        self.fields["place"].queryset = places
        self.fields["place"].label_from_instance = str


class EndForm(forms.Form):
    end = _date(_("End date"), required=True)
    end_reason = forms.ChoiceField(
        label=_("Reason"),
        choices=[c for c in EndReason.choices if c[0] != EndReason.MUTATION],
        help_text=_("A step up starts a warm handover to the work-experience service."),
    )


class MutationForm(forms.Form):
    end = _date(_("Last day at the current place"), required=True)
    organisation = ListChoiceField(
        label=_("New organisation"), queryset=Organisation.objects.none()
    )
    place = ListChoiceField(
        label=_("New place"), required=False, queryset=Place.objects.none(), empty_label="—"
    )
    requested_by = forms.ChoiceField(label=_("Requested by"), choices=MutationBy.choices)
    weekly_hours = forms.DecimalField(
        label=_("Hours per week"), required=False, min_value=0, max_value=168, decimal_places=1
    )

    def __init__(self, *args, organisations, places, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        self.fields["place"].queryset = places


class AgreementForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    tasks = forms.CharField(
        label=_("Tasks"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    schedule = forms.CharField(
        label=_("Weekly schedule"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Days and hours, e.g. Tuesday 9:00–12:00."),
    )
    hours_buildup = forms.CharField(
        label=_("Build-up of hours"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("e.g. 4 hours a week the first month, then 8."),
    )
    attention_points = forms.CharField(
        label=_("Points of attention"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Allergies, punctuality, work pace, …"),
    )
    signed_on = _date(_("Signed on"))


class PaymentForm(forms.Form):
    iban = forms.CharField(label=_("IBAN"), max_length=42, help_text=_("e.g. BE68 5390 0754 7034"))
    account_holder = forms.CharField(
        label=_("Account holder"),
        required=False,
        max_length=70,
        help_text=_("Leave empty when the account is in the client's name."),
    )


class MatchForm(forms.Form):
    hours = forms.DecimalField(
        label=_("Hours per week the client wishes"), required=False, min_value=0, max_value=60
    )


class CorrectionForm(forms.Form):
    hours = forms.DecimalField(label=_("Hours"), min_value=0, max_value=744, decimal_places=2)
    transport_eur = forms.DecimalField(
        label=_("Public transport (€)"), min_value=0, decimal_places=2
    )
    clothing_eur = forms.DecimalField(label=_("Clothing (€)"), min_value=0, decimal_places=2)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class ClientEvaluationForm(forms.ModelForm):
    class Meta:
        model = Evaluation
        fields = ["client_going_well", "client_difficult", "client_wishes"]
        widgets = {f: forms.Textarea(attrs={"rows": 3}) for f in fields}


class OrganisationEvaluationForm(forms.ModelForm):
    class Meta:
        model = Evaluation
        fields = ["org_attendance", "org_work", "org_cooperation", "org_remarks"]
        widgets = {f: forms.Textarea(attrs={"rows": 3}) for f in fields}


class ConversationForm(forms.Form):
    held_on = _date(_("Conversation held on"), required=True)
    conclusion = forms.CharField(
        label=_("Conclusion and agreements"), widget=forms.Textarea(attrs={"rows": 4})
    )


class Art60Form(forms.Form):
    own_service = forms.CharField(
        label=_("Own service"),
        required=False,
        max_length=120,
        help_text=_("When the client works in one of the centre's own services, which one."),
    )
    planned_end = _date(_("Planned end"))
    regime = forms.ChoiceField(label=_("Regime"), choices=Regime.choices)
    days_required = forms.IntegerField(
        label=_("Days required"),
        min_value=1,
        max_value=1000,
        help_text=_("As set by the national employment office (RVA) for this client."),
    )
    days_worked = forms.IntegerField(label=_("Days worked so far"), min_value=0, max_value=1000)


class SettingsForm(forms.Form):
    hours_due_day = forms.IntegerField(
        label=_("Hours due by day of the month"),
        min_value=1,
        max_value=28,
        help_text=_(
            "Organisations that have not submitted last month's hours by then are reminded."
        ),
    )
    eval_volunteering_opstap = forms.IntegerField(
        label=_("Volunteering, step up: evaluate every (months)"), min_value=1, max_value=24
    )
    eval_volunteering_mogelijke = forms.IntegerField(
        label=_("Volunteering, possible step up: evaluate every (months)"),
        min_value=1,
        max_value=24,
    )
    eval_volunteering_finaliteit = forms.IntegerField(
        label=_("Volunteering, end in itself: evaluate every (months)"), min_value=1, max_value=24
    )
    eval_arbeidszorg_opstap = forms.IntegerField(
        label=_("Work-care, step up: evaluate every (months)"), min_value=1, max_value=24
    )
    eval_arbeidszorg_mogelijke = forms.IntegerField(
        label=_("Work-care, possible step up: evaluate every (months)"), min_value=1, max_value=24
    )
    eval_arbeidszorg_finaliteit = forms.IntegerField(
        label=_("Work-care, end in itself: evaluate every (months)"), min_value=1, max_value=24
    )
    debtor_name = forms.CharField(label=_("Account holder (centre)"), required=False, max_length=70)
    debtor_iban = forms.CharField(label=_("Centre's IBAN"), required=False, max_length=42)
    debtor_bic = forms.CharField(label=_("Centre's BIC"), required=False, max_length=11)
