from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.apps import apps
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from opstap.clients.forms import DateInput

from .models import (
    Balance,
    Barrier,
    ConsentCategory,
    InstrumentSection,
    InstrumentTemplate,
    Question,
    QuestionKind,
    ResourceKind,
)

SCALE_CHOICES = [
    ("1", _("1 – not at all")),
    ("2", _("2 – a little")),
    ("3", _("3 – somewhat")),
    ("4", _("4 – well")),
    ("5", _("5 – very well")),
]
YES_NO = [("yes", _("Yes")), ("no", _("No"))]


class VersionForm(forms.Form):
    """Carries the balance version the page was loaded with (lost-update guard)."""

    version = forms.IntegerField(widget=forms.HiddenInput)


class VersionedModelForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["version"] = self.instance.version

    def service_fields(self) -> dict[str, Any]:
        return {k: v for k, v in self.cleaned_data.items() if k in self._meta.fields}


class IntakeForm(VersionedModelForm):
    class Meta:
        model = Balance
        fields = [
            "intake_date",
            "reason",
            "expectations",
            "balance_consent",
            "balance_consent_date",
            "intake_notes",
        ]
        widgets = {
            "intake_date": DateInput(),
            "balance_consent_date": DateInput(),
            "reason": forms.Textarea(attrs={"rows": 3}),
            "expectations": forms.Textarea(attrs={"rows": 4}),
            "intake_notes": forms.Textarea(attrs={"rows": 3}),
        }


class ExplorationForm(VersionedModelForm):
    class Meta:
        model = Balance
        fields = ["exploration_notes"]
        widgets = {"exploration_notes": forms.Textarea(attrs={"rows": 4})}


def _trajectory_type_choices(centre) -> list[tuple[str, str]] | None:
    """The trajectory types of the centre's catalogue, when that catalogue exists."""
    try:
        model = apps.get_model("trajectories", "TrajectoryType")
    except LookupError:
        return None
    field_names = {f.name for f in model._meta.get_fields()}
    if not {"code", "centre"} <= field_names:
        return None
    qs = model.objects.filter(centre=centre)
    if "active" in field_names:
        qs = qs.filter(active=True)
    choices = [(t.code, str(t)) for t in qs]
    return [("", "—")] + choices if choices else None


class SynthesisForm(VersionedModelForm):
    class Meta:
        model = Balance
        fields = [
            "conclusions",
            "conclusions_agreed_on",
            "proposed_rung",
            "proposed_trajectory",
            "plan_notes",
            "sharing_consent_date",
        ]
        widgets = {
            "conclusions": forms.Textarea(attrs={"rows": 6}),
            "plan_notes": forms.Textarea(attrs={"rows": 4}),
            "conclusions_agreed_on": DateInput(),
            "sharing_consent_date": DateInput(),
        }

    def __init__(self, *args, consents: dict[str, str] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        choices = _trajectory_type_choices(self.instance.centre_id)
        if choices is not None:
            current = self.instance.proposed_trajectory
            if current and current not in dict(choices):
                choices.append((current, current))
            self.fields["proposed_trajectory"] = forms.ChoiceField(
                label=self.fields["proposed_trajectory"].label, choices=choices, required=False
            )
        else:
            self.fields["proposed_trajectory"].help_text = _(
                "For example: language trajectory, activation trajectory."
            )
        for category in ConsentCategory:
            self.fields[f"share_{category.value}"] = forms.CharField(
                label=category.label,
                required=False,
                max_length=300,
                help_text=_("With whom may this be shared? Leave empty: not shared."),
            )
            if not self.is_bound and consents:
                self.initial[f"share_{category.value}"] = consents.get(category.value, "")

    def consent_fields(self) -> list:
        return [self[f"share_{c.value}"] for c in ConsentCategory]

    def main_fields(self) -> list:
        return [self[name] for name in self._meta.fields]

    def consents(self) -> dict[str, str]:
        return {c.value: self.cleaned_data.get(f"share_{c.value}", "") for c in ConsentCategory}


class BarriersForm(VersionForm):
    """Each barrier a tick box with a note; strengths, competences and resources one per line."""

    def __init__(self, *args, centre_barriers=(), barriers=(), resources=(), **kwargs):
        super().__init__(*args, **kwargs)
        ticked = {b.code or f"own{b.centre_barrier_id}": b.note for b in barriers}
        self.rows = []
        entries = [(c.value, c.label) for c in Barrier]
        entries += [
            (f"own{b.pk}", b.label) for b in centre_barriers if b.active or f"own{b.pk}" in ticked
        ]
        for key, label in entries:
            self.fields[f"b_{key}"] = forms.BooleanField(label=label, required=False)
            self.fields[f"n_{key}"] = forms.CharField(
                label=_("Note on “%(barrier)s”") % {"barrier": label},
                required=False,
                max_length=500,
            )
            if key in ticked:
                self.initial[f"b_{key}"] = True
                self.initial[f"n_{key}"] = ticked[key]
            self.rows.append((key, label))
        for kind in ResourceKind:
            self.fields[f"r_{kind.value}"] = forms.CharField(
                label={
                    "strength": _("Strengths"),
                    "competence": _("Competences"),
                    "resource": _("Resources (network, services, means)"),
                }[kind.value],
                required=False,
                widget=forms.Textarea(attrs={"rows": 3}),
                help_text=_("One per line."),
            )
            self.initial.setdefault(
                f"r_{kind.value}", "\n".join(r.text for r in resources if r.kind == kind.value)
            )

    def barrier_rows(self) -> list:
        return [(self[f"b_{key}"], self[f"n_{key}"]) for key, _label in self.rows]

    def resource_fields(self) -> list:
        return [self[f"r_{kind.value}"] for kind in ResourceKind]

    def service_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        common, own = {}, {}
        for key, _label in self.rows:
            if not data.get(f"b_{key}"):
                continue
            note = data.get(f"n_{key}", "").strip()
            if key.startswith("own"):
                own[int(key[3:])] = note
            else:
                common[key] = note
        resources = {
            kind.value: [
                line.strip()
                for line in data.get(f"r_{kind.value}", "").splitlines()
                if line.strip()
            ]
            for kind in ResourceKind
        }
        return {"common": common, "own": own, "resources": resources}


class ReopenForm(VersionForm):
    reason = forms.CharField(
        label=_("Why is this phase reopened?"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=500,
    )


# --- instruments ----------------------------------------------------------------------------


class InstrumentAnswerForm(VersionForm):
    """A form built from a template version: one field per question, in the user's language."""

    def __init__(self, *args, template: InstrumentTemplate, answers: dict | None = None, **kw):
        super().__init__(*args, **kw)
        self.template = template
        self.layout = []
        for section in template.sections.all():
            names = []
            for question in section.questions.all():
                name = f"q_{question.pk}"
                self.fields[name] = _field_for(question)
                if answers and str(question.pk) in answers and not self.is_bound:
                    self.initial[name] = _initial(question, answers[str(question.pk)])
                names.append(name)
            self.layout.append((section.title, names))

    def sections(self) -> list:
        return [(title, [self[n] for n in names]) for title, names in self.layout]

    def answers(self) -> dict[str, Any]:
        result = {}
        for name, value in self.cleaned_data.items():
            if not name.startswith("q_") or value in (None, "", []):
                continue
            if isinstance(value, datetime.date):
                value = value.isoformat()
            elif isinstance(value, list):
                value = [int(v) for v in value]
            elif name in self._choice_fields():
                value = int(value)
            result[name[2:]] = value
        return result

    def _choice_fields(self) -> set[str]:
        return {
            f"q_{q.pk}"
            for s in self.template.sections.all()
            for q in s.questions.all()
            if q.kind == QuestionKind.SINGLE
        }


def _field_for(question: Question) -> forms.Field:
    common = {"label": question.label, "required": question.required}
    choices = [(str(c.pk), c.label) for c in question.choices.all()]
    if question.kind == QuestionKind.TEXT:
        return forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), **common)
    if question.kind == QuestionKind.DATE:
        return forms.DateField(widget=DateInput(), **common)
    if question.kind == QuestionKind.YES_NO:
        return forms.ChoiceField(choices=YES_NO, widget=forms.RadioSelect, **common)
    if question.kind == QuestionKind.SCALE:
        return forms.ChoiceField(
            choices=SCALE_CHOICES,
            widget=forms.RadioSelect,
            help_text=_("The client rates themselves."),
            **common,
        )
    if question.kind == QuestionKind.SINGLE:
        return forms.ChoiceField(choices=[("", "—")] + choices, **common)
    return forms.MultipleChoiceField(choices=choices, widget=forms.CheckboxSelectMultiple, **common)


def _initial(question: Question, value: Any) -> Any:
    if question.kind == QuestionKind.DATE:
        return datetime.date.fromisoformat(value)
    if question.kind == QuestionKind.MULTIPLE:
        return [str(v) for v in value]
    return str(value)


def answer_text(question: Question, value: Any) -> str:
    """One stored answer as text, in the active language."""
    labels = {c.pk: c.label for c in question.choices.all()}
    if question.kind == QuestionKind.DATE:
        return date_format(datetime.date.fromisoformat(value), "d/m/Y")
    if question.kind == QuestionKind.YES_NO:
        return str(dict(YES_NO).get(value, value))
    if question.kind == QuestionKind.SCALE:
        return gettext("%(answer)s (the client's own view)") % {
            "answer": dict(SCALE_CHOICES).get(str(value), value)
        }
    if question.kind == QuestionKind.SINGLE:
        return labels.get(int(value), "")
    if question.kind == QuestionKind.MULTIPLE:
        return ", ".join(labels.get(int(v), "") for v in value)
    return str(value)


class TemplateForm(forms.ModelForm):
    class Meta:
        model = InstrumentTemplate
        fields = ["code", "title_nl", "title_fr", "title_en", "position", "active"]


class SectionForm(forms.ModelForm):
    class Meta:
        model = InstrumentSection
        fields = ["title_nl", "title_fr", "title_en"]


class QuestionForm(forms.ModelForm):
    choices_text = forms.CharField(
        label=_("Choices"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("For choice questions: one choice per line, as Dutch | French | English."),
    )

    class Meta:
        model = Question
        fields = ["kind", "label_nl", "label_fr", "label_en", "required"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["choices_text"] = "\n".join(
                f"{c.label_nl} | {c.label_fr} | {c.label_en}" for c in self.instance.choices.all()
            )

    def clean_choices_text(self) -> list[tuple[str, str, str]]:
        result = []
        for line in self.cleaned_data["choices_text"].splitlines():
            if not line.strip():
                continue
            parts = [p.strip() for p in line.split("|")] + ["", ""]
            if not parts[0]:
                raise forms.ValidationError(_("Every choice needs a Dutch label."))
            result.append((parts[0][:200], parts[1][:200], parts[2][:200]))
        return result

    def service_fields(self) -> dict[str, Any]:
        data = {k: v for k, v in self.cleaned_data.items() if k in self._meta.fields}
        data["choices"] = self.cleaned_data["choices_text"]
        return data


class CentreBarrierForm(forms.Form):
    label_nl = forms.CharField(label=_("label (Dutch)"), max_length=200)
    label_fr = forms.CharField(label=_("label (French)"), max_length=200, required=False)
    label_en = forms.CharField(label=_("label (English)"), max_length=200, required=False)
