"""Writes of the balance: each one atomic, version-checked and audited."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from opstap.core.audit import diff, log_action, snapshot

from .defaults import DEFAULT_INSTRUMENTS
from .models import (
    Balance,
    BalanceBarrier,
    BalanceResource,
    Barrier,
    CentreBarrier,
    Choice,
    ConsentCategory,
    InstrumentResponse,
    InstrumentSection,
    InstrumentTemplate,
    Phase,
    Question,
    QuestionKind,
    SharingConsent,
)

STALE_MESSAGE = _(
    "Someone else saved this balance after you opened it. Your input is kept below, but it was "
    "not saved: check the balance in another tab, then save again to overwrite."
)

PHASE_FIELDS = {
    Phase.INTAKE: [
        "intake_date",
        "reason",
        "expectations",
        "balance_consent",
        "balance_consent_date",
        "intake_notes",
    ],
    Phase.EXPLORATION: ["exploration_notes"],
    Phase.SYNTHESIS: [
        "conclusions",
        "conclusions_agreed_on",
        "proposed_rung",
        "proposed_trajectory",
        "plan_notes",
        "sharing_consent_date",
    ],
}


# --- the balance ----------------------------------------------------------------------------


def _locked(balance: Balance, expected_version: int) -> Balance:
    """The balance row locked for this transaction; refused when someone saved in between."""
    current = Balance.objects.select_for_update().select_related("client").get(pk=balance.pk)
    if current.version != expected_version:
        raise ValidationError(STALE_MESSAGE, code="stale")
    return current


def _bump(balance: Balance) -> None:
    balance.version += 1
    balance.save()


def _require_open(balance: Balance, phase: int) -> None:
    if not balance.is_open(phase):
        raise ValidationError(
            _("This phase cannot be changed now: it is completed or an earlier phase is open."),
            code="phase_closed",
        )


@transaction.atomic
def balance_create(*, actor, client, started_on: datetime.date | None = None) -> Balance:
    """Start a balance for a client who has no open one."""
    if client.balances.filter(phase3_completed_at__isnull=True).exists():
        raise ValidationError(_("This client already has a balance in progress."), code="open")
    ensure_default_instruments(client.centre)
    balance = Balance.objects.create(
        centre=client.centre,
        client=client,
        started_on=started_on or timezone.localdate(),
        started_by=actor,
    )
    log_action(actor=actor, action="balance.created", obj=balance, client_id=client.pk)
    return balance


@transaction.atomic
def balance_update(
    *, actor, balance: Balance, expected_version: int, phase: int, **fields: Any
) -> Balance:
    """Save the fields of one phase of the balance."""
    balance = _locked(balance, expected_version)
    _require_open(balance, phase)
    allowed = PHASE_FIELDS[Phase(phase)]
    unknown = set(fields) - set(allowed)
    if unknown:
        raise ValueError(f"Not fields of phase {phase}: {sorted(unknown)}")
    old = snapshot(balance, list(fields))
    for name, value in fields.items():
        setattr(balance, name, value)
    balance.full_clean(exclude=["centre", "client", "started_by"])
    _bump(balance)
    changes = diff(old, snapshot(balance, list(fields)))
    if changes:
        log_action(
            actor=actor,
            action="balance.updated",
            obj=balance,
            client_id=balance.client_id,
            changes=changes,
        )
    return balance


def _phase_problems(balance: Balance, phase: int) -> dict[str, list]:
    problems: dict[str, list] = {}
    if phase == Phase.INTAKE:
        if not balance.intake_date:
            problems["intake_date"] = [_("Record the date of the intake talk.")]
        if not balance.balance_consent:
            problems["balance_consent"] = [
                _("The client must agree to take part before the exploration starts.")
            ]
    if phase == Phase.SYNTHESIS:
        if not balance.conclusions.strip():
            problems["conclusions"] = [_("Write the conclusions agreed with the client.")]
        if not balance.conclusions_agreed_on:
            problems["conclusions_agreed_on"] = [_("Record the date the client agreed.")]
        if not balance.proposed_rung:
            problems["proposed_rung"] = [_("Choose the proposed rung.")]
    return problems


@transaction.atomic
def phase_complete(*, actor, balance: Balance, phase: int, expected_version: int) -> Balance:
    """Close the current phase; the next one opens."""
    balance = _locked(balance, expected_version)
    _require_open(balance, phase)
    problems = _phase_problems(balance, phase)
    if problems:
        raise ValidationError(problems)
    setattr(balance, f"phase{phase}_completed_at", timezone.now())
    _bump(balance)
    log_action(
        actor=actor,
        action="balance.phase_completed",
        obj=balance,
        client_id=balance.client_id,
        changes={"phase": [None, phase]},
    )
    return balance


@transaction.atomic
def phase_reopen(
    *, actor, balance: Balance, phase: int, expected_version: int, reason: str
) -> Balance:
    """Open a completed phase again; the phases after it open again too."""
    balance = _locked(balance, expected_version)
    if not balance.is_done(phase):
        raise ValidationError(_("This phase is not completed."), code="not_completed")
    if not reason.strip():
        raise ValidationError({"reason": [_("Say why the phase is reopened.")]})
    if phase == Phase.SYNTHESIS or balance.is_done(Phase.SYNTHESIS):
        # A finished balance becomes open again: only one open balance per client.
        others = balance.client.balances.filter(phase3_completed_at__isnull=True)
        if others.exclude(pk=balance.pk).exists():
            raise ValidationError(_("Another balance of this client is in progress."), code="open")
    for later in range(phase, 4):
        setattr(balance, f"phase{later}_completed_at", None)
    _bump(balance)
    log_action(
        actor=actor,
        action="balance.phase_reopened",
        obj=balance,
        client_id=balance.client_id,
        changes={"phase": [phase, phase], "reason": [None, reason.strip()]},
    )
    return balance


@transaction.atomic
def response_save(
    *,
    actor,
    balance: Balance,
    template: InstrumentTemplate,
    answers: dict[str, Any],
    expected_version: int,
) -> InstrumentResponse:
    """Store the answers to one instrument (the exact template version that was shown)."""
    balance = _locked(balance, expected_version)
    _require_open(balance, Phase.EXPLORATION)
    if template.centre_id != balance.centre_id:
        raise ValidationError(_("Unknown instrument."), code="instrument")
    response = InstrumentResponse.objects.filter(balance=balance, template=template).first()
    old = response.answers if response else {}
    if response is None:
        response = InstrumentResponse(balance=balance, template=template)
    response.answers = answers
    response.updated_by = actor
    response.save()
    _bump(balance)
    log_action(
        actor=actor,
        action="balance.updated",
        obj=balance,
        client_id=balance.client_id,
        changes={f"instrument:{template.code}:v{template.version}": diff(old, answers)},
    )
    return response


@transaction.atomic
def barriers_save(
    *,
    actor,
    balance: Balance,
    expected_version: int,
    common: dict[str, str],
    own: dict[int, str],
    resources: dict[str, list[str]],
) -> Balance:
    """Replace the ticked barriers ({code: note}, {centre barrier id: note}) and strengths."""
    balance = _locked(balance, expected_version)
    _require_open(balance, Phase.EXPLORATION)
    invalid = set(common) - set(Barrier.values)
    own_ok = set(
        CentreBarrier.objects.filter(centre=balance.centre, pk__in=own).values_list("pk", flat=True)
    )
    if invalid or set(own) - own_ok:
        raise ValidationError(_("Unknown barrier."), code="barrier")
    old = _barrier_snapshot(balance)
    balance.barriers.all().delete()
    BalanceBarrier.objects.bulk_create(
        [BalanceBarrier(balance=balance, code=c, note=n) for c, n in common.items()]
        + [BalanceBarrier(balance=balance, centre_barrier_id=i, note=n) for i, n in own.items()]
    )
    balance.resources.all().delete()
    BalanceResource.objects.bulk_create(
        [
            BalanceResource(balance=balance, kind=kind, text=text[:300])
            for kind, texts in resources.items()
            for text in texts
        ]
    )
    _bump(balance)
    changes = diff(old, _barrier_snapshot(balance))
    if changes:
        log_action(
            actor=actor,
            action="balance.updated",
            obj=balance,
            client_id=balance.client_id,
            changes=changes,
        )
    return balance


def _barrier_snapshot(balance: Balance) -> dict[str, Any]:
    barriers = sorted(
        f"{b.code or f'own:{b.centre_barrier_id}'}={b.note}" for b in balance.barriers.all()
    )
    resources = sorted(f"{r.kind}={r.text}" for r in balance.resources.all())
    return {"barriers": barriers, "resources": resources}


@transaction.atomic
def synthesis_save(
    *,
    actor,
    balance: Balance,
    expected_version: int,
    consents: dict[str, str],
    **fields: Any,
) -> Balance:
    """Save the synthesis and what the client agrees may be shared with whom."""
    balance = balance_update(
        actor=actor,
        balance=balance,
        expected_version=expected_version,
        phase=Phase.SYNTHESIS,
        **fields,
    )
    consents = {k: v.strip() for k, v in consents.items() if v and v.strip()}
    if set(consents) - set(ConsentCategory.values):
        raise ValidationError(_("Unknown category of information."), code="category")
    if consents and not balance.sharing_consent_date:
        raise ValidationError(
            {"sharing_consent_date": [_("Record the date the client gave consent.")]}
        )
    old = {c.category: c.recipients for c in balance.consents.all()}
    if old != consents:
        balance.consents.all().delete()
        SharingConsent.objects.bulk_create(
            [SharingConsent(balance=balance, category=k, recipients=v) for k, v in consents.items()]
        )
        log_action(
            actor=actor,
            action="balance.updated",
            obj=balance,
            client_id=balance.client_id,
            changes={"consents": [old, consents]},
        )
    return balance


# --- instrument templates -------------------------------------------------------------------


@transaction.atomic
def ensure_default_instruments(centre) -> int:
    """Give a centre the default instruments it does not have yet; returns how many were made."""
    existing = set(InstrumentTemplate.objects.filter(centre=centre).values_list("code", flat=True))
    made = 0
    for position, (code, titles, sections) in enumerate(DEFAULT_INSTRUMENTS):
        if code in existing:
            continue
        template = InstrumentTemplate.objects.create(
            centre=centre, code=code, position=position * 10, **_langs("title", titles)
        )
        for s_pos, (s_titles, questions) in enumerate(sections):
            section = InstrumentSection.objects.create(
                template=template, position=s_pos, **_langs("title", s_titles)
            )
            for q_pos, (kind, labels, choices) in enumerate(questions):
                question = Question.objects.create(
                    section=section, position=q_pos, kind=kind, **_langs("label", labels)
                )
                Choice.objects.bulk_create(
                    Choice(question=question, position=c_pos, **_langs("label", c_labels))
                    for c_pos, c_labels in enumerate(choices)
                )
        made += 1
    return made


def _langs(field: str, values: tuple[str, str, str]) -> dict[str, str]:
    return dict(zip([f"{field}_nl", f"{field}_fr", f"{field}_en"], values, strict=True))


def _copy(template: InstrumentTemplate) -> InstrumentTemplate:
    """A new latest version with the same content; the old version stays for its answers."""
    sections = list(template.sections.prefetch_related("questions__choices"))
    InstrumentTemplate.objects.filter(pk=template.pk).update(latest=False)
    old_pk = template.pk
    template.pk = None
    template.version += 1
    template.latest = True
    template._state.adding = True
    template.save()
    template.copied_from = old_pk
    template.id_map = {}
    for section in sections:
        questions = list(section.questions.all())
        old_section = section.pk
        section.pk, section.template = None, template
        section.save()
        template.id_map[("section", old_section)] = section.pk
        for question in questions:
            choices = list(question.choices.all())
            old_question = question.pk
            question.pk, question.section = None, section
            question.save()
            template.id_map[("question", old_question)] = question.pk
            for choice in choices:
                old_choice = choice.pk
                choice.pk, choice.question = None, question
                choice.save()
                template.id_map[("choice", old_choice)] = choice.pk
    return template


def _writable(*, actor, template: InstrumentTemplate) -> InstrumentTemplate:
    """The template itself when nobody answered it yet, else a new version to edit."""
    template = InstrumentTemplate.objects.select_for_update().get(pk=template.pk)
    if not template.latest:
        raise ValidationError(_("Only the latest version of an instrument can be edited."))
    template.id_map = {}
    if template.responses.exists():
        old_version = template.version
        template = _copy(template)
        log_action(
            actor=actor,
            action="balance.instrument.versioned",
            obj=template,
            changes={"version": [old_version, template.version]},
        )
    return template


def _mapped(template: InstrumentTemplate, kind: str, pk: int) -> int:
    return template.id_map.get((kind, pk), pk)


TEMPLATE_FIELDS = ["code", "title_nl", "title_fr", "title_en", "active"]


@transaction.atomic
def template_create(*, actor, centre, **fields: Any) -> InstrumentTemplate:
    """A new instrument of the centre."""
    if InstrumentTemplate.objects.filter(centre=centre, code=fields.get("code")).exists():
        raise ValidationError({"code": [_("An instrument with this code exists already.")]})
    template = InstrumentTemplate(centre=centre, **fields)
    template.full_clean()
    template.save()
    log_action(actor=actor, action="balance.instrument.created", obj=template)
    return template


@transaction.atomic
def template_update(*, actor, template: InstrumentTemplate, **fields: Any) -> InstrumentTemplate:
    """Change the titles or the active flag; answered versions get a new version first."""
    fields.pop("code", None)  # the code ties versions together
    if set(fields) == {"active"}:
        # (De)activating changes no content: no new version needed.
        template = InstrumentTemplate.objects.select_for_update().get(pk=template.pk)
    else:
        template = _writable(actor=actor, template=template)
    old = snapshot(template, list(fields))
    for name, value in fields.items():
        setattr(template, name, value)
    template.full_clean()
    template.save()
    log_action(
        actor=actor,
        action="balance.instrument.updated",
        obj=template,
        changes=diff(old, snapshot(template, list(fields))),
    )
    return template


@transaction.atomic
def section_save(
    *, actor, template: InstrumentTemplate, section_id: int | None = None, **fields: Any
) -> InstrumentTemplate:
    """Add a section (section_id None) or change one."""
    template = _writable(actor=actor, template=template)
    if section_id is None:
        position = template.sections.count()
        section = InstrumentSection(template=template, position=position)
    else:
        section = template.sections.get(pk=_mapped(template, "section", section_id))
    for name, value in fields.items():
        setattr(section, name, value)
    section.full_clean()
    section.save()
    log_action(
        actor=actor, action="balance.instrument.updated", obj=template, changes={"section": fields}
    )
    return template


@transaction.atomic
def question_save(
    *,
    actor,
    template: InstrumentTemplate,
    section_id: int,
    question_id: int | None = None,
    choices: list[tuple[str, str, str]] | None = None,
    **fields: Any,
) -> InstrumentTemplate:
    """Add or change a question; `choices` (nl, fr, en labels) replace the old choices."""
    template = _writable(actor=actor, template=template)
    section = InstrumentSection.objects.get(
        template=template, pk=_mapped(template, "section", section_id)
    )
    if question_id is None:
        question = Question(section=section, position=section.questions.count())
    else:
        question = Question.objects.get(
            section__template=template, pk=_mapped(template, "question", question_id)
        )
    for name, value in fields.items():
        setattr(question, name, value)
    needs_choices = question.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE)
    if needs_choices and not choices:
        raise ValidationError({"choices": [_("A choice question needs at least one choice.")]})
    question.full_clean()
    question.save()
    if choices is not None:
        question.choices.all().delete()
        if needs_choices:
            Choice.objects.bulk_create(
                Choice(question=question, position=i, **_langs("label", labels))
                for i, labels in enumerate(choices)
            )
    log_action(
        actor=actor,
        action="balance.instrument.updated",
        obj=template,
        changes={"question": {**fields, "choices": choices}},
    )
    return template


@transaction.atomic
def item_delete(*, actor, template: InstrumentTemplate, kind: str, pk: int) -> InstrumentTemplate:
    """Remove a section or a question from the latest version."""
    template = _writable(actor=actor, template=template)
    model = {"section": InstrumentSection, "question": Question}[kind]
    scope = {"section": "template", "question": "section__template"}[kind]
    model.objects.filter(**{scope: template}, pk=_mapped(template, kind, pk)).delete()
    log_action(
        actor=actor, action="balance.instrument.updated", obj=template, changes={"deleted": kind}
    )
    return template


@transaction.atomic
def item_move(
    *, actor, template: InstrumentTemplate, kind: str, pk: int, step: int
) -> InstrumentTemplate:
    """Move a section or question one place up (step -1) or down (+1)."""
    template = _writable(actor=actor, template=template)
    pk = _mapped(template, kind, pk)
    if kind == "section":
        siblings = list(template.sections.all())
    else:
        question = Question.objects.get(section__template=template, pk=pk)
        siblings = list(question.section.questions.all())
    index = next(i for i, item in enumerate(siblings) if item.pk == pk)
    target = index + step
    if 0 <= target < len(siblings):
        siblings[index], siblings[target] = siblings[target], siblings[index]
    for position, item in enumerate(siblings):
        if item.position != position:
            item.position = position
            item.save(update_fields=["position"])
    log_action(
        actor=actor, action="balance.instrument.updated", obj=template, changes={"moved": kind}
    )
    return template


@transaction.atomic
def centre_barrier_create(*, actor, centre, **fields: Any) -> CentreBarrier:
    """Add a barrier of the centre's own to the list."""
    barrier = CentreBarrier(centre=centre, **fields)
    barrier.full_clean()
    barrier.save()
    log_action(actor=actor, action="balance.barrier.created", obj=barrier)
    return barrier


@transaction.atomic
def centre_barrier_set_active(*, actor, barrier: CentreBarrier, active: bool) -> CentreBarrier:
    """Withdraw a centre barrier from the list (balances that used it keep it)."""
    old = barrier.active
    barrier.active = active
    barrier.save(update_fields=["active"])
    log_action(
        actor=actor,
        action="balance.barrier.updated",
        obj=barrier,
        changes={"active": [old, active]},
    )
    return barrier
