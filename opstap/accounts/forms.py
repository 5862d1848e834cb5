from django import forms
from django.utils.translation import gettext_lazy as _

from opstap.clients.forms import DateInput
from opstap.core.audit import action_label
from opstap.core.choices import ListChoiceField, ListMultipleChoiceField
from opstap.core.models import Office, Team

from . import services, user_links
from .models import User
from .roles import Role

LANGUAGE_CHOICES = [("nl", "Nederlands"), ("fr", "Français"), ("en", "English")]


class LoginForm(forms.Form):
    username = forms.CharField(label=_("Username"), max_length=150)
    password = forms.CharField(label=_("Password"), widget=forms.PasswordInput)

    error_messages = {
        "invalid": _("The username or password is not correct."),
        "locked": _(
            "This account is locked for a while after too many failed attempts. "
            "Try again later or ask an administrator."
        ),
        "inactive": _("This account is not active. Ask an administrator."),
    }

    def __init__(self, request=None, *args, **kwargs):
        self.request = request
        self.user = None
        super().__init__(*args, **kwargs)
        self.fields["username"].widget.attrs.update({"autofocus": True, "autocomplete": "username"})
        self.fields["password"].widget.attrs.update({"autocomplete": "current-password"})

    def _fail(self, code: str):
        return forms.ValidationError(self.error_messages[code], code=code)

    def clean(self):
        username = (self.cleaned_data.get("username") or "").strip()
        password = self.cleaned_data.get("password")
        if not username or not password:
            return self.cleaned_data
        user = User.objects.select_related("centre").filter(username=username).first()
        if user is None:
            # Hash anyway so the answer takes as long as for a real account.
            User().set_password(password)
            if services.unknown_username_locked(username=username):
                raise self._fail("locked")
            locked = services.login_failed(username=username)
            raise self._fail("locked" if locked else "invalid")
        if user.is_locked:
            raise self._fail("locked")
        if not user.check_password(password):
            locked = services.login_failed(username=username, user=user)
            raise self._fail("locked" if locked else "invalid")
        if not user.is_active:
            raise self._fail("inactive")
        self.user = user
        return self.cleaned_data


class OtpForm(forms.Form):
    code = forms.CharField(
        label=_("Code from your authenticator app"),
        max_length=8,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )


class LanguageForm(forms.Form):
    language = forms.ChoiceField(label=_("Language of the screens"), choices=LANGUAGE_CHOICES)


class PasswordChangeForm(forms.Form):
    old_password = forms.CharField(
        label=_("Current password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    new_password1 = forms.CharField(
        label=_("New password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 10 characters; not a common word, not only digits, not your name."),
    )
    new_password2 = forms.CharField(
        label=_("New password again"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self):
        one, two = self.cleaned_data.get("new_password1"), self.cleaned_data.get("new_password2")
        if one and two and one != two:
            self.add_error("new_password2", _("The two new passwords are not the same."))
        return self.cleaned_data


class UserFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, help_text=_("Name, username or e-mail"))
    role = forms.ChoiceField(
        label=_("Role"), required=False, choices=[("", _("All roles")), *Role.choices]
    )


class UserForm(forms.Form):
    username = forms.CharField(
        label=_("Username"),
        max_length=150,
        help_text=_("What the person types to log in, e.g. their first name and initial."),
    )
    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    email = forms.EmailField(label=_("E-mail"), required=False)
    job_title = forms.CharField(label=_("Job title"), max_length=120, required=False)
    language = forms.ChoiceField(label=_("Language"), choices=LANGUAGE_CHOICES, initial="nl")
    roles = forms.MultipleChoiceField(
        label=_("Roles"),
        choices=Role.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("What the person may do. Choose at least one."),
        error_messages={"required": _("Choose at least one role.")},
    )
    teams = ListMultipleChoiceField(
        label=_("Teams"),
        queryset=Team.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("A head of service sees the dossiers of the teams they belong to."),
    )
    is_active = forms.BooleanField(
        label=_("Active (may log in)"),
        required=False,
        initial=True,
    )

    def __init__(self, *args, centre=None, editing=False, target_roles=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["teams"].queryset = Team.objects.filter(centre=centre)
        if editing:
            del self.fields["username"]
        else:
            del self.fields["is_active"]
        self._add_link_fields(centre, editing, target_roles)

    def _add_link_fields(self, centre, editing, target_roles) -> None:
        """Fields of other apps' links (user_links), next to the roles they belong to.

        A new account gets them all (its roles are not chosen yet); an existing one those its
        roles, or the roles just ticked, call for.
        """
        posted = self.data.getlist("roles") if hasattr(self.data, "getlist") else []
        added = []
        for link in user_links.user_links():
            if editing and not user_links.applies_to(link, {*target_roles, *posted}):
                continue
            self.fields[link.name] = link.field(centre)
            added.append(link.name)
        order = [name for name in self.fields if name not in added]
        at = order.index("roles") + 1
        self.order_fields(order[:at] + added + order[at:])

    def clean(self):
        roles = self.cleaned_data.get("roles") or []
        for link in user_links.user_links():
            value = self.cleaned_data.get(link.name)
            if value is not None and roles and not user_links.applies_to(link, roles):
                labels = ", ".join(str(Role(r).label) for r in sorted(link.roles))
                self.add_error(
                    link.name,
                    _(
                        "Only accounts with the role %(roles)s have this. "
                        "Tick that role or leave this empty."
                    )
                    % {"roles": labels},
                )
        return self.cleaned_data

    def clean_username(self):
        # Checked here as well as in the service, so every error shows at once.
        username = self.cleaned_data["username"].strip()
        if User.objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(_("This username is already taken."))
        return username

    @classmethod
    def initial_for(cls, user: User) -> dict:
        return {
            "first_name": user.first_name,
            "last_name": user.last_name,
            "email": user.email,
            "job_title": user.job_title,
            "language": user.language,
            "roles": sorted(user.role_set),
            "teams": list(user.teams.all()),
            "is_active": user.is_active,
        } | {
            link.name: link.initial(user)
            for link in user_links.user_links()
            if user_links.applies_to(link, user.role_set)
        }


class OfficeForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    address = forms.CharField(label=_("Address"), max_length=250, required=False)
    active = forms.BooleanField(
        label=_("Active"),
        required=False,
        initial=True,
        help_text=_("An office that is no longer active cannot be chosen for new dossiers."),
    )

    def __init__(self, *args, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        if not editing:
            del self.fields["active"]


class TeamForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    office = ListChoiceField(
        label=_("Office"), queryset=Office.objects.none(), required=False, empty_label=_("None")
    )

    def __init__(self, *args, centre=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["office"].queryset = Office.objects.filter(centre=centre, active=True)


class CentreForm(forms.Form):
    name = forms.CharField(label=_("Name of the centre"), max_length=200)
    hourly_premium_eur = forms.DecimalField(
        label=_("Encouragement premium per hour (€)"),
        max_digits=6,
        decimal_places=2,
        min_value=0,
        max_value=100,
        help_text=_("Paid per hour of social activation, e.g. 1.00"),
    )
    gpmi_evaluation_months = forms.IntegerField(
        label=_("GPMI evaluation interval (months)"),
        min_value=1,
        max_value=12,
        help_text=_("How often a GPMI is evaluated, e.g. 4 for three times a year."),
    )
    require_2fa_roles = forms.MultipleChoiceField(
        label=_("Roles that must use a second factor (code from an app)"),
        choices=Role.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )


def _option(code: str) -> str:
    label = action_label(code)
    return code if label == code else f"{label} ({code})"


class AuditFilterForm(forms.Form):
    actor = ListChoiceField(
        label=_("User"), queryset=User.objects.none(), required=False, empty_label=_("Everyone")
    )
    action = forms.ChoiceField(label=_("Action"), required=False)
    date_from = forms.DateField(label=_("From"), required=False, widget=DateInput())
    date_to = forms.DateField(label=_("Until"), required=False, widget=DateInput())
    client_ref = forms.CharField(label=_("Client reference"), max_length=64, required=False)

    def __init__(self, *args, centre=None, actions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["actor"].queryset = User.objects.filter(centre=centre)
        self.fields["action"].choices = [
            ("", _("All actions")),
            *((a, _option(a)) for a in actions),
        ]

    def clean(self):
        start, end = self.cleaned_data.get("date_from"), self.cleaned_data.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", _("The end date is before the start date."))
        return self.cleaned_data
