from django import forms
from django.utils.translation import gettext_lazy as _

from opstap.clients.forms import DateInput

from .models import (
    InsuranceStatus,
    OfferKind,
    Organisation,
    Place,
    ReferralStatus,
    Sector,
    SharedInfo,
    SupportOffer,
)
from .validators import clean_kbo


class OrganisationForm(forms.ModelForm):
    class Meta:
        model = Organisation
        fields = [
            "name",
            "ref",
            "kbo",
            "sector",
            "address",
            "contact_name",
            "contact_email",
            "contact_phone",
            "agreement_signed_on",
            "insurance_until",
            "active",
        ]
        widgets = {"agreement_signed_on": DateInput(), "insurance_until": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ref"].required = False
        if self.instance.pk is None:
            self.fields["ref"].help_text = _("Leave empty to have one made for you.")
        # Accept the number with dots, spaces or a BE prefix; the service stores 10 digits.
        model_field = Organisation._meta.get_field("kbo")
        self.fields["kbo"] = forms.CharField(
            label=model_field.verbose_name.capitalize(),
            help_text=model_field.help_text,
            required=False,
            max_length=20,
        )

    def clean_kbo(self):
        try:
            return clean_kbo(self.cleaned_data.get("kbo"))
        except forms.ValidationError as exc:
            raise forms.ValidationError(exc.message_dict["kbo"]) from exc

    def _post_clean(self):
        # Uniqueness of the reference and the centre are checked by the service.
        pass


class OrganisationFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"), required=False, help_text=_("Name, reference, contact or KBO")
    )
    sector = forms.ChoiceField(
        label=_("Sector"), required=False, choices=[("", _("All"))] + list(Sector.choices)
    )
    insurance = forms.ChoiceField(
        label=_("Insurance"),
        required=False,
        choices=[("", _("All"))] + list(InsuranceStatus.choices),
    )
    show = forms.ChoiceField(
        label=_("Show"),
        required=False,
        choices=[("active", _("Active")), ("inactive", _("Inactive")), ("all", _("All"))],
    )


class OfferForm(forms.ModelForm):
    class Meta:
        model = SupportOffer
        fields = [
            "name_nl",
            "name_fr",
            "name_en",
            "kind",
            "provider",
            "contact",
            "capacity",
            "active",
            "description",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, centre=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["provider"].queryset = Organisation.objects.filter(centre=centre, active=True)
        self.fields["provider"].empty_label = _("Our own service")

    def _post_clean(self):
        pass


class OfferFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("All"))] + list(OfferKind.choices)
    )


class PlaceForm(forms.ModelForm):
    class Meta:
        model = Place
        fields = [
            "title",
            "tasks",
            "hours_per_week",
            "requirements",
            "location",
            "status",
            "capacity",
        ]
        widgets = {
            "tasks": forms.Textarea(attrs={"rows": 3}),
            "requirements": forms.Textarea(attrs={"rows": 3}),
        }

    def _post_clean(self):
        pass


class FindOfferForm(forms.Form):
    q = forms.CharField(
        label=_("Search"), required=False, help_text=_("What does the client need?")
    )
    kind = forms.ChoiceField(
        label=_("Kind of offer"),
        required=False,
        choices=[("", _("All"))] + list(OfferKind.choices),
    )
    sector = forms.ChoiceField(
        label=_("Sector of the place"),
        required=False,
        choices=[("", _("All"))] + list(Sector.choices),
    )


class ReferralForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for the referral"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("The partner reads this: write only what the client agreed to."),
    )
    referred_on = forms.DateField(label=_("Referral date"), widget=DateInput())
    shared_info = forms.MultipleChoiceField(
        label=_("Information the client agreed to share with the partner"),
        choices=SharedInfo.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class ReferralStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=ReferralStatus.choices)
    note = forms.CharField(
        label=_("Note or outcome"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required when you end the referral: describe the outcome."),
    )
