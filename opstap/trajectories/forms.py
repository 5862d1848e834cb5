import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from opstap.accounts.models import User
from opstap.clients.forms import DateInput, LongSelect, WorkerChoiceField
from opstap.core.choices import ListChoiceField

from .models import Rung, TrajectoryType
from .selectors import trajectory_outcomes_for, trajectory_types_for


class TrajectoryStartForm(forms.Form):
    type = ListChoiceField(label=_("Type"), queryset=TrajectoryType.objects.none())
    start_date = forms.DateField(label=_("Start date"), widget=DateInput())
    responsible = WorkerChoiceField(
        label=_("Responsible worker"),
        queryset=User.objects.none(),
        required=False,
        widget=LongSelect(),
    )
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, centre=None, user=None, **kwargs):
        kwargs.setdefault("initial", {"start_date": datetime.date.today(), "responsible": user})
        super().__init__(*args, **kwargs)
        self.fields["type"].queryset = trajectory_types_for(centre, active_only=True)
        self.fields["responsible"].queryset = User.objects.filter(
            centre=centre, is_active=True
        ).exclude(roles__contains=",partner,")


class TrajectoryEndForm(forms.Form):
    end_date = forms.DateField(label=_("End date"), widget=DateInput())
    outcome = ListChoiceField(label=_("Outcome"), queryset=None)

    def __init__(self, *args, centre=None, **kwargs):
        kwargs.setdefault("initial", {"end_date": datetime.date.today()})
        super().__init__(*args, **kwargs)
        self.fields["outcome"].queryset = trajectory_outcomes_for(centre, active_only=True)


class LadderPositionForm(forms.Form):
    rung = forms.ChoiceField(label=_("Rung"), choices=Rung.choices, widget=forms.RadioSelect)
    since = forms.DateField(label=_("Since"), widget=DateInput())
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Why the client moves: what changed, what was agreed."),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"since": datetime.date.today()})
        super().__init__(*args, **kwargs)


class TrajectoryTypeForm(forms.ModelForm):
    class Meta:
        model = TrajectoryType
        fields = [
            "code",
            "label_nl",
            "label_fr",
            "label_en",
            "rung",
            "counts_as_activation",
            "position",
            "active",
        ]
        help_texts = {
            "code": _(
                "Short code used in imports and exports, e.g. taal. Letters, digits, _ and -."
            ),
            "position": _("Lower numbers come first in lists and reports."),
        }
