from django import forms
from django.utils.translation import gettext_lazy as _

MODES = [
    ("check", _("Check only: report errors, write nothing")),
    ("import", _("Import: check, then write everything if there is no error")),
]


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("Zip file"),
        help_text=_("A .zip of the folder holding clients.csv and the other CSV files."),
        widget=forms.ClearableFileInput(attrs={"accept": ".zip,application/zip"}),
    )
    mode = forms.ChoiceField(
        label=_("What to do"), choices=MODES, initial="check", widget=forms.RadioSelect
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not (upload.name or "").lower().endswith(".zip"):
            raise forms.ValidationError(_("Choose a .zip file."))
        return upload
