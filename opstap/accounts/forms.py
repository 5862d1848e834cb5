from django import forms
from django.contrib.auth import authenticate
from django.utils.translation import gettext_lazy as _

from .models import User
from .services import login_failed


class LoginForm(forms.Form):
    username = forms.CharField(label=_("Username"), max_length=150)
    password = forms.CharField(label=_("Password"), widget=forms.PasswordInput)

    error_messages = {
        "invalid": _("The username or password is not correct."),
        "locked": _(
            "This account is locked for a while after too many failed attempts. "
            "Try again later or ask an administrator."
        ),
        "inactive": _("This account is not active."),
    }

    def __init__(self, request=None, *args, **kwargs):
        self.request = request
        self.user = None
        super().__init__(*args, **kwargs)
        self.fields["username"].widget.attrs.update({"autofocus": True, "autocomplete": "username"})
        self.fields["password"].widget.attrs.update({"autocomplete": "current-password"})

    def clean(self):
        username = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if not username or not password:
            return self.cleaned_data
        candidate = User.objects.filter(username=username).first()
        if candidate is not None and candidate.is_locked:
            raise forms.ValidationError(self.error_messages["locked"], code="locked")
        user = authenticate(self.request, username=username, password=password)
        if user is None:
            login_failed(username=username)
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        if not user.is_active:
            raise forms.ValidationError(self.error_messages["inactive"], code="inactive")
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
