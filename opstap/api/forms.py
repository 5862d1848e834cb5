from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

MAX_TOKEN_DAYS = 365


def default_token_days() -> int:
    return max(1, min(settings.API_TOKEN_DAYS, MAX_TOKEN_DAYS))


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("What the token is for, e.g. the name of the script or system using it."),
    )
    days = forms.IntegerField(
        label=_("Valid for (days)"),
        min_value=1,
        max_value=MAX_TOKEN_DAYS,
        help_text=_("At most 365 days. After that the token stops working."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["days"].initial = default_token_days()
