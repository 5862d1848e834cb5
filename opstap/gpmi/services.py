"""Writes of GPMI contracts: each one atomic, version-checked where a person edits, audited."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from opstap.core.audit import diff, log_action, snapshot

from . import rules
from .defaults import DEFAULT_DOMAINS
from .models import (
    REFLECTION_DAYS,
    GoalProgress,
    GoalStatus,
    Gpmi,
    GpmiEvaluation,
    GpmiGoal,
    GpmiKind,
    GpmiStatus,
    GpmiStep,
    GpmiThirdParty,
    GpmiVersion,
    LifeDomain,
    Priority,
    Sanction,
    SanctionDecision,
    SanctionStage,
    StepOwner,
)

STALE_MESSAGE = _(
    "Someone else saved this contract while you were editing it. Your input is kept below: "
    "reload the contract to see their changes, then save again."
)
CONTRACT_FIELDS = [
    "kind",
    "needs_analysis",
    "client_commitments",
    "centre_commitments",
    "evaluation_arrangements",
    "start_date",
    "end_date",
    "assisted_by",
    "school",
    "programme",
    "study_year",
    "exam_results_due",
]
GOAL_FIELDS = ["domain", "priority", "text", "status"]
STEP_FIELDS = ["text", "owner", "due_date", "done_on"]


# --- catalogue of life domains ------------------------------------------------------------------


def ensure_default_life_domains(centre) -> None:
    """Give the centre the default domains and priorities it does not have yet."""
    have = set(LifeDomain.objects.filter(centre=centre).values_list("code", flat=True))
    for position, (code, nl, fr, en, priorities) in enumerate(DEFAULT_DOMAINS, start=1):
        if code in have:
            continue
        domain = LifeDomain.objects.create(
            centre=centre, code=code, label_nl=nl, label_fr=fr, label_en=en, position=position * 10
        )
        Priority.objects.bulk_create(
            Priority(
                domain=domain,
                code=p_code,
                label_nl=p_nl,
                label_fr=p_fr,
                label_en=p_en,
                position=index * 10,
            )
            for index, (p_code, p_nl, p_fr, p_en) in enumerate(priorities, start=1)
        )


@transaction.atomic
def life_domain_save(*, actor, centre, domain: LifeDomain | None = None, **fields) -> LifeDomain:
    """Create or change a life domain of the centre's catalogue."""
    domain = domain or LifeDomain(centre=centre)
    old = snapshot(domain, list(fields)) if domain.pk else {}
    for name, value in fields.items():
        setattr(domain, name, value)
    domain.full_clean()
    domain.save()
    log_action(
        actor=actor,
        action="gpmi.domain.saved",
        obj=domain,
        centre=centre,
        changes=diff(old, snapshot(domain, list(fields))),
    )
    return domain


@transaction.atomic
def priority_save(*, actor, domain: LifeDomain, priority: Priority | None = None, **fields):
    """Create or change a priority under a life domain."""
    priority = priority or Priority(domain=domain)
    old = snapshot(priority, list(fields)) if priority.pk else {}
    for name, value in fields.items():
        setattr(priority, name, value)
    priority.full_clean()
    priority.save()
    log_action(
        actor=actor,
        action="gpmi.priority.saved",
        obj=priority,
        centre=domain.centre,
        changes=diff(old, snapshot(priority, list(fields))),
    )
    return priority


# --- helpers ------------------------------------------------------------------------------------


def _locked(gpmi: Gpmi, expected_version: int | None) -> Gpmi:
    """The contract row locked for this transaction; refused when someone saved in between."""
    current = Gpmi.objects.select_for_update().select_related("client", "centre").get(pk=gpmi.pk)
    if expected_version is not None and current.version != expected_version:
        raise ValidationError(STALE_MESSAGE, code="stale")
    return current


def _bump(gpmi: Gpmi) -> None:
    gpmi.version += 1
    gpmi.save()


def _require_editable(gpmi: Gpmi) -> None:
    if not gpmi.editable:
        raise ValidationError(
            _("A signed contract changes only through an amendment: choose “Amend” first."),
            code="not_editable",
        )


def _audit(actor, action: str, gpmi: Gpmi, obj=None, changes=None) -> None:
    log_action(
        actor=actor,
        action=action,
        obj=obj or gpmi,
        client_id=gpmi.client_id,
        centre=gpmi.centre,
        changes=changes,
    )


def _state(gpmi: Gpmi) -> dict:
    return {"status": gpmi.status}


def _check_priority(domain: LifeDomain, priority: Priority | None) -> None:
    if priority is not None and priority.domain_id != domain.pk:
        raise ValidationError({"priority": _("This priority belongs to another life domain.")})


# --- contracts ------------------------------------------------------------------------------------


@transaction.atomic
def gpmi_create(
    *,
    actor,
    client,
    kind: str = GpmiKind.STANDARD,
    priorities: list[Priority] = (),
    balance=None,
    drafted_on: datetime.date | None = None,
    needs_analysis: str = "",
) -> Gpmi:
    """Draft a contract; each chosen priority becomes a goal to work out with the client."""
    if balance is not None and balance.client_id != client.pk:
        raise ValidationError({"balance": _("This balance belongs to another client.")})
    gpmi = Gpmi(
        centre=client.centre,
        client=client,
        kind=kind,
        balance=balance,
        drafted_on=drafted_on or datetime.date.today(),
        needs_analysis=needs_analysis,
        created_by=actor,
    )
    gpmi.full_clean(exclude=["ref"])
    gpmi.save()
    GpmiGoal.objects.bulk_create(
        GpmiGoal(
            centre=client.centre,
            gpmi=gpmi,
            domain_id=p.domain_id,
            priority=p,
            text=p.label,
            position=index,
        )
        for index, p in enumerate(priorities)
        if p.domain.centre_id == client.centre_id
    )
    _audit(actor, "gpmi.created", gpmi, changes={"kind": [None, kind]})
    return gpmi


@transaction.atomic
def gpmi_update(*, actor, gpmi: Gpmi, expected_version: int | None, **fields: Any) -> Gpmi:
    """Change the contract's text, duration and student details (draft or amendment)."""
    gpmi = _locked(gpmi, expected_version)
    _require_editable(gpmi)
    unknown = set(fields) - set(CONTRACT_FIELDS) - {"supports"}
    if unknown:
        raise ValueError(f"not contract fields: {unknown}")
    supports = fields.pop("supports", None)
    old = snapshot(gpmi, list(fields))
    for name, value in fields.items():
        setattr(gpmi, name, value)
    gpmi.full_clean(exclude=["ref", "balance", "created_by"])
    rules.check_duration(gpmi.start_date, gpmi.end_date)
    _bump(gpmi)
    changes = diff(old, snapshot(gpmi, list(fields)))
    if supports is not None:
        before = sorted(str(s) for s in gpmi.supports.all())
        gpmi.supports.set(s for s in supports if s.centre_id == gpmi.centre_id)
        after = sorted(str(s) for s in gpmi.supports.all())
        if before != after:
            changes["supports"] = [before, after]
    _audit(actor, "gpmi.updated", gpmi, changes=changes)
    return gpmi


@transaction.atomic
def third_party_add(
    *, actor, gpmi: Gpmi, expected_version: int | None, name: str, organisation="", role=""
) -> GpmiThirdParty:
    """A third party joins the contract."""
    gpmi = _locked(gpmi, expected_version)
    _require_editable(gpmi)
    party = GpmiThirdParty(gpmi=gpmi, name=name, organisation=organisation, role=role)
    party.full_clean()
    party.save()
    _bump(gpmi)
    _audit(actor, "gpmi.third_party.added", gpmi, changes={"third_party": [None, name]})
    return party


@transaction.atomic
def third_party_remove(*, actor, gpmi: Gpmi, expected_version: int | None, party_id: int):
    gpmi = _locked(gpmi, expected_version)
    _require_editable(gpmi)
    party = gpmi.third_parties.filter(pk=party_id).first()
    if party is not None:
        party.delete()
        _bump(gpmi)
        _audit(actor, "gpmi.third_party.removed", gpmi, changes={"third_party": [party.name, None]})


# --- goals and steps ------------------------------------------------------------------------------


@transaction.atomic
def goal_create(
    *,
    actor,
    gpmi: Gpmi,
    expected_version: int | None,
    domain: LifeDomain,
    text: str,
    priority: Priority | None = None,
    status: str = GoalStatus.OPEN,
) -> GpmiGoal:
    """Add a goal under a life domain (and priority)."""
    gpmi = _locked(gpmi, expected_version)
    _require_editable(gpmi)
    if domain.centre_id != gpmi.centre_id:
        raise ValidationError({"domain": _("Choose a life domain of this centre.")})
    _check_priority(domain, priority)
    goal = GpmiGoal(
        centre=gpmi.centre,
        gpmi=gpmi,
        domain=domain,
        priority=priority,
        text=text,
        status=status,
        position=gpmi.goals.count(),
    )
    goal.full_clean(exclude=["ref"])
    goal.save()
    _bump(gpmi)
    _audit(actor, "gpmi.goal.created", gpmi, obj=goal, changes={"text": [None, text]})
    return goal


@transaction.atomic
def goal_update(*, actor, goal: GpmiGoal, expected_version: int | None, **fields) -> GpmiGoal:
    """Change a goal. Its status may change any time the contract runs; its text only in draft
    or during an amendment."""
    gpmi = _locked(goal.gpmi, expected_version)
    progress_only = set(fields) <= {"status"}
    if not progress_only:
        _require_editable(gpmi)
    elif gpmi.status in (GpmiStatus.ENDED, GpmiStatus.EXEMPTED):
        raise ValidationError({"status": _("This contract has ended.")})
    goal = GpmiGoal.objects.get(pk=goal.pk)
    old = snapshot(goal, list(fields))
    for name, value in fields.items():
        setattr(goal, name, value)
    _check_priority(goal.domain, goal.priority)
    goal.full_clean(exclude=["ref"])
    goal.save()
    _bump(gpmi)
    _audit(
        actor, "gpmi.goal.updated", gpmi, obj=goal, changes=diff(old, snapshot(goal, list(fields)))
    )
    return goal


@transaction.atomic
def goal_delete(*, actor, goal: GpmiGoal, expected_version: int | None) -> None:
    gpmi = _locked(goal.gpmi, expected_version)
    _require_editable(gpmi)
    text = goal.text
    goal.delete()
    _bump(gpmi)
    _audit(actor, "gpmi.goal.deleted", gpmi, changes={"text": [text, None]})


@transaction.atomic
def step_create(
    *,
    actor,
    goal: GpmiGoal,
    expected_version: int | None,
    text: str,
    owner: str,
    due_date: datetime.date | None = None,
    done_on: datetime.date | None = None,
) -> GpmiStep:
    """Add a concrete step to a goal."""
    gpmi = _locked(goal.gpmi, expected_version)
    _require_editable(gpmi)
    step = GpmiStep(
        centre=gpmi.centre, goal=goal, text=text, owner=owner, due_date=due_date, done_on=done_on
    )
    step.full_clean(exclude=["ref"])
    step.save()
    _bump(gpmi)
    _audit(actor, "gpmi.step.created", gpmi, obj=step, changes={"text": [None, text]})
    return step


@transaction.atomic
def step_update(*, actor, step: GpmiStep, expected_version: int | None, **fields) -> GpmiStep:
    """Change a step; marking it done is progress and needs no amendment."""
    gpmi = _locked(step.goal.gpmi, expected_version)
    if not set(fields) <= {"done_on"}:
        _require_editable(gpmi)
    elif gpmi.status in (GpmiStatus.ENDED, GpmiStatus.EXEMPTED):
        raise ValidationError({"done_on": _("This contract has ended.")})
    step = GpmiStep.objects.get(pk=step.pk)
    old = snapshot(step, list(fields))
    for name, value in fields.items():
        setattr(step, name, value)
    if step.done_on and step.done_on > datetime.date.today():
        raise ValidationError({"done_on": _("A step cannot be done in the future.")})
    step.full_clean(exclude=["ref"])
    step.save()
    _bump(gpmi)
    _audit(
        actor, "gpmi.step.updated", gpmi, obj=step, changes=diff(old, snapshot(step, list(fields)))
    )
    return step


@transaction.atomic
def step_delete(*, actor, step: GpmiStep, expected_version: int | None) -> None:
    gpmi = _locked(step.goal.gpmi, expected_version)
    _require_editable(gpmi)
    text = step.text
    step.delete()
    _bump(gpmi)
    _audit(actor, "gpmi.step.deleted", gpmi, changes={"text": [text, None]})


# --- workflow -------------------------------------------------------------------------------------


def _transition(gpmi: Gpmi, allowed: set[str], target: str) -> None:
    if gpmi.status not in allowed:
        raise ValidationError(
            _("A contract that is “%(status)s” cannot become “%(target)s”.")
            % {"status": gpmi.get_status_display(), "target": GpmiStatus(target).label},
            code="invalid_transition",
        )
    if gpmi.amending:
        raise ValidationError(_("Finish the amendment first."), code="amending")


@transaction.atomic
def gpmi_propose(
    *, actor, gpmi: Gpmi, expected_version: int | None, proposed_on: datetime.date
) -> Gpmi:
    """Hand the draft to the client, who then has 5 calendar days to reflect."""
    gpmi = _locked(gpmi, expected_version)
    _transition(gpmi, {GpmiStatus.DRAFT}, GpmiStatus.PROPOSED)
    errors = {}
    if not gpmi.goals.exists():
        errors["goals"] = _("Add at least one goal before proposing the contract.")
    if gpmi.start_date is None:
        errors["start_date"] = _("Set the start date of the contract first.")
    if proposed_on > datetime.date.today():
        errors["proposed_on"] = _("This date is in the future.")
    if gpmi.drafted_on and proposed_on < gpmi.drafted_on:
        errors["proposed_on"] = _("The contract cannot be proposed before it was drafted.")
    if errors:
        raise ValidationError(errors)
    old = _state(gpmi)
    gpmi.status, gpmi.proposed_on = GpmiStatus.PROPOSED, proposed_on
    _bump(gpmi)
    _audit(actor, "gpmi.proposed", gpmi, changes=diff(old, _state(gpmi)))
    return gpmi


@transaction.atomic
def gpmi_back_to_draft(*, actor, gpmi: Gpmi, expected_version: int | None) -> Gpmi:
    """The client wants changes before signing: the proposal goes back to draft."""
    gpmi = _locked(gpmi, expected_version)
    _transition(gpmi, {GpmiStatus.PROPOSED}, GpmiStatus.DRAFT)
    gpmi.status, gpmi.proposed_on = GpmiStatus.DRAFT, None
    _bump(gpmi)
    _audit(actor, "gpmi.back_to_draft", gpmi, changes={"status": ["proposed", "draft"]})
    return gpmi


@transaction.atomic
def gpmi_sign(
    *,
    actor,
    gpmi: Gpmi,
    expected_version: int | None,
    signed_on: datetime.date,
    centre_signed_on: datetime.date,
    committee_decision_on: datetime.date,
    early_signature_reason: str = "",
    assisted_by: str = "",
) -> Gpmi:
    """Record the signatures of client and centre and the special committee's decision."""
    gpmi = _locked(gpmi, expected_version)
    _transition(gpmi, {GpmiStatus.PROPOSED}, GpmiStatus.SIGNED)
    rules.check_signature(
        proposed_on=gpmi.proposed_on,
        signed_on=signed_on,
        centre_signed_on=centre_signed_on,
        committee_decision_on=committee_decision_on,
        early_signature_reason=early_signature_reason,
        today=datetime.date.today(),
    )
    old = _state(gpmi)
    gpmi.status = GpmiStatus.SIGNED
    gpmi.signed_on, gpmi.centre_signed_on = signed_on, centre_signed_on
    gpmi.committee_decision_on = committee_decision_on
    gpmi.early_signature_reason = early_signature_reason.strip()
    if assisted_by:
        gpmi.assisted_by = assisted_by
    _bump(gpmi)
    changes = diff(old, _state(gpmi))
    changes["signed_on"] = [None, str(signed_on)]
    _audit(actor, "gpmi.signed", gpmi, changes=changes)
    return gpmi


@transaction.atomic
def gpmi_start(*, actor, gpmi: Gpmi, expected_version: int | None) -> Gpmi:
    """The signed contract starts running (on or after its start date)."""
    gpmi = _locked(gpmi, expected_version)
    _transition(gpmi, {GpmiStatus.SIGNED}, GpmiStatus.ACTIVE)
    if gpmi.start_date is None or gpmi.start_date > datetime.date.today():
        raise ValidationError(
            {"start_date": _("The contract can start on its start date, not before.")}
        )
    gpmi.status = GpmiStatus.ACTIVE
    _bump(gpmi)
    _audit(actor, "gpmi.started", gpmi, changes={"status": ["signed", "active"]})
    return gpmi


@transaction.atomic
def gpmi_end(
    *, actor, gpmi: Gpmi, expected_version: int | None, ended_on: datetime.date, reason: str
) -> Gpmi:
    """End a running contract with a reason; its end date becomes the day it ended."""
    gpmi = _locked(gpmi, expected_version)
    _transition(gpmi, {GpmiStatus.SIGNED, GpmiStatus.ACTIVE}, GpmiStatus.ENDED)
    errors = {}
    if not reason.strip():
        errors["reason"] = _("Say why the contract ends.")
    if gpmi.start_date and ended_on < gpmi.start_date:
        errors["ended_on"] = _("A contract cannot end before it starts.")
    if ended_on > datetime.date.today():
        errors["ended_on"] = _("This date is in the future.")
    if errors:
        raise ValidationError(errors)
    old = snapshot(gpmi, ["status", "end_date"])
    gpmi.status, gpmi.end_date, gpmi.end_reason = GpmiStatus.ENDED, ended_on, reason.strip()
    _bump(gpmi)
    _audit(actor, "gpmi.ended", gpmi, changes=diff(old, snapshot(gpmi, ["status", "end_date"])))
    return gpmi


@transaction.atomic
def gpmi_delete_draft(*, actor, gpmi: Gpmi, expected_version: int | None) -> None:
    """Throw away a draft that was never proposed."""
    gpmi = _locked(gpmi, expected_version)
    if gpmi.status != GpmiStatus.DRAFT:
        raise ValidationError(_("Only a draft can be deleted."), code="invalid_transition")
    _audit(actor, "gpmi.deleted", gpmi, changes={"status": ["draft", None]})
    gpmi.delete()


@transaction.atomic
def gpmi_exempt(
    *,
    actor,
    client,
    ground: str,
    reason: str,
    exempted_on: datetime.date,
    ref: str = "",
) -> Gpmi:
    """Record that the client is exempted from a GPMI (health or equity), instead of a contract."""
    errors = {}
    if not reason.strip():
        errors["reason"] = _("Give the reason for the exemption.")
    if exempted_on > datetime.date.today():
        errors["exempted_on"] = _("This date is in the future.")
    if errors:
        raise ValidationError(errors)
    gpmi = Gpmi(
        centre=client.centre,
        client=client,
        status=GpmiStatus.EXEMPTED,
        exemption_ground=ground,
        exemption_reason=reason.strip(),
        exempted_on=exempted_on,
        created_by=actor,
    )
    if ref:
        gpmi.ref = ref
    gpmi.full_clean(exclude=["balance", "created_by"])
    gpmi.save()
    _audit(actor, "gpmi.exempted", gpmi, changes={"exemption_ground": [None, ground]})
    return gpmi


# --- amendments -----------------------------------------------------------------------------------


def content_of(gpmi: Gpmi) -> dict:
    """The contract's content as plain data: what an amendment keeps of the earlier version."""
    goals = gpmi.goals.select_related("domain", "priority").prefetch_related("steps")
    return {
        "fields": {name: _plain(getattr(gpmi, name)) for name in CONTRACT_FIELDS},
        "supports": sorted(str(s) for s in gpmi.supports.all()),
        "third_parties": [
            {"name": p.name, "organisation": p.organisation, "role": p.role}
            for p in gpmi.third_parties.all()
        ],
        "goals": [
            {
                "id": goal.pk,
                "domain": goal.domain.code,
                "domain_label": goal.domain.label,
                "priority": goal.priority.label if goal.priority else "",
                "text": goal.text,
                "status": goal.status,
                "steps": [
                    {
                        "id": step.pk,
                        "text": step.text,
                        "owner": step.owner,
                        "due_date": _plain(step.due_date),
                        "done_on": _plain(step.done_on),
                    }
                    for step in goal.steps.all()
                ],
            }
            for goal in goals
        ],
    }


def _plain(value):
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


@transaction.atomic
def gpmi_amend_start(
    *, actor, gpmi: Gpmi, expected_version: int | None, reason: str, amended_on: datetime.date
) -> GpmiVersion:
    """Open an amendment: the signed content is kept as an earlier version, then may change."""
    gpmi = _locked(gpmi, expected_version)
    if not gpmi.amendable or gpmi.amending:
        raise ValidationError(
            _("Only a signed or active contract can be amended."), code="invalid_transition"
        )
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the contract is amended.")})
    version = GpmiVersion.objects.create(
        gpmi=gpmi,
        number=gpmi.revision,
        content=content_of(gpmi),
        reason=reason.strip(),
        amended_on=amended_on,
        amended_by=actor,
    )
    gpmi.revision += 1
    gpmi.amending = True
    _bump(gpmi)
    _audit(
        actor, "gpmi.amendment.started", gpmi, changes={"revision": [version.number, gpmi.revision]}
    )
    return version


@transaction.atomic
def gpmi_amend_finish(*, actor, gpmi: Gpmi, expected_version: int | None) -> Gpmi:
    """Close the amendment: the contract is fixed again until the next one."""
    gpmi = _locked(gpmi, expected_version)
    if not gpmi.amending:
        raise ValidationError(_("This contract is not being amended."), code="invalid_transition")
    gpmi.amending = False
    _bump(gpmi)
    _audit(actor, "gpmi.amendment.finished", gpmi, changes={"revision": [None, gpmi.revision]})
    return gpmi


# --- steps from elsewhere (a module's step plan) ------------------------------------------------


def _contract_to_add_steps_to(client) -> Gpmi:
    """The running contract (active, else signed), else the newest draft; refused otherwise."""
    order = [GpmiStatus.ACTIVE, GpmiStatus.SIGNED, GpmiStatus.DRAFT]
    contracts = client.gpmis.filter(status__in=[*order, GpmiStatus.PROPOSED])
    found = sorted(
        contracts,
        key=lambda g: (order.index(g.status) if g.status in order else len(order), -g.pk),
    )
    if not found:
        raise ValidationError(
            _(
                "%(client)s has no GPMI to add the steps to: draft a contract on the GPMI tab "
                "first, then carry the steps again."
            )
            % {"client": client.full_name},
            code="no_gpmi",
        )
    if found[0].status == GpmiStatus.PROPOSED:
        raise ValidationError(
            _(
                "The contract is with the client to reflect on: add the steps once it is signed, "
                "or take it back to draft first."
            ),
            code="not_editable",
        )
    return found[0]


@transaction.atomic
def steps_add_to_active(
    *, actor, client, goal_text: str, steps: list[dict], domain_code: str = "education"
) -> GpmiGoal:
    """Add one goal with its steps (dicts of text, owner, due_date) to the client's contract.

    The contract is the running one (active, else signed) or, when none runs, the newest draft;
    a contract only proposed to the client is left alone (it is theirs to reflect on), and a
    client without a contract gets a clear refusal. A draft is simply extended. A signed contract
    changes only through an amendment, and the social worker carrying an agreed step plan expects
    one click, not a refusal: the earlier content is kept as an amendment (reason: the goal
    text), the goal and steps are added and the amendment is closed again. When someone already
    has an amendment open, the steps join it and it stays open for them to finish.
    """
    if not steps:
        raise ValidationError(_("There are no steps to add."), code="no_steps")
    gpmi = _locked(_contract_to_add_steps_to(client), None)
    domain = LifeDomain.objects.filter(centre=gpmi.centre, code=domain_code).first()
    if domain is None:
        raise ValidationError(
            _("The life domain “%(code)s” is not in this centre's catalogue.")
            % {"code": domain_code},
            code="no_domain",
        )
    amend = gpmi.amendable and not gpmi.amending
    if amend:
        gpmi_amend_start(
            actor=actor,
            gpmi=gpmi,
            expected_version=gpmi.version,
            reason=goal_text,
            amended_on=datetime.date.today(),
        )
        gpmi = _locked(gpmi, None)
    _require_editable(gpmi)
    goal = GpmiGoal(
        centre=gpmi.centre,
        gpmi=gpmi,
        domain=domain,
        text=goal_text,
        position=gpmi.goals.count(),
    )
    goal.full_clean(exclude=["ref"])
    goal.save()
    new_steps = [
        GpmiStep(
            centre=gpmi.centre,
            goal=goal,
            text=step["text"],
            owner=step.get("owner") or StepOwner.CLIENT,
            due_date=step.get("due_date"),
        )
        for step in steps
    ]
    for step in new_steps:
        step.full_clean(exclude=["ref"])
    GpmiStep.objects.bulk_create(new_steps)
    _bump(gpmi)
    _audit(
        actor,
        "gpmi.steps_carried",
        gpmi,
        obj=goal,
        changes={"goal": [None, goal_text], "steps": [None, [s.text for s in new_steps]]},
    )
    if amend:
        gpmi = gpmi_amend_finish(actor=actor, gpmi=gpmi, expected_version=gpmi.version)
    goal.gpmi = gpmi
    return goal


# --- evaluations ----------------------------------------------------------------------------------


@transaction.atomic
def evaluation_create(
    *,
    actor,
    gpmi: Gpmi,
    date: datetime.date,
    in_person: bool,
    summary: str = "",
    progress: dict[int, str] | None = None,
) -> GpmiEvaluation:
    """Record an evaluation of a signed contract, with progress per goal and agreed changes."""
    gpmi = _locked(gpmi, None)
    errors = {}
    if not gpmi.is_signed:
        errors["date"] = _("Only a signed contract can be evaluated.")
    elif gpmi.signed_on and date < gpmi.signed_on:
        errors["date"] = _("An evaluation cannot be before the signature.")
    if date > datetime.date.today():
        errors["date"] = _("This date is in the future.")
    if errors:
        raise ValidationError(errors)
    evaluation = GpmiEvaluation(
        centre=gpmi.centre,
        gpmi=gpmi,
        date=date,
        in_person=in_person,
        summary=summary,
        created_by=actor,
    )
    evaluation.full_clean(exclude=["ref", "created_by"])
    evaluation.save()
    goals = set(gpmi.goals.values_list("pk", flat=True))
    GoalProgress.objects.bulk_create(
        GoalProgress(evaluation=evaluation, goal_id=goal_id, note=note.strip())
        for goal_id, note in (progress or {}).items()
        if goal_id in goals and note and note.strip()
    )
    _bump(gpmi)
    _audit(
        actor,
        "gpmi.evaluation.created",
        gpmi,
        obj=evaluation,
        changes={"date": [None, str(date)], "in_person": [None, in_person]},
    )
    return evaluation


# --- sanctions ------------------------------------------------------------------------------------


@transaction.atomic
def sanction_warn(
    *, actor, client, breach: str, warning_on: datetime.date, gpmi: Gpmi | None = None
) -> Sanction:
    """Record a formal warning for a breach of the contract: the first step of a sanction."""
    if gpmi is not None and gpmi.client_id != client.pk:
        raise ValidationError({"gpmi": _("This contract belongs to another client.")})
    if warning_on > datetime.date.today():
        raise ValidationError({"warning_on": _("This date is in the future.")})
    sanction = Sanction(
        centre=client.centre,
        client=client,
        gpmi=gpmi,
        breach=breach,
        warning_on=warning_on,
        created_by=actor,
    )
    sanction.full_clean(exclude=["created_by"])
    sanction.save()
    log_action(
        actor=actor,
        action="gpmi.sanction.warned",
        obj=sanction,
        client_id=client.pk,
        centre=client.centre,
        changes={"warning_on": [None, str(warning_on)]},
    )
    return sanction


@transaction.atomic
def sanction_hearing(
    *, actor, sanction: Sanction, hearing_on: datetime.date, notes: str = ""
) -> Sanction:
    """The client asked to be heard: record the hearing."""
    sanction = Sanction.objects.select_for_update().get(pk=sanction.pk)
    if sanction.stage == SanctionStage.DECIDED:
        raise ValidationError(_("A decision was already taken."), code="invalid_transition")
    if hearing_on < sanction.warning_on:
        raise ValidationError({"hearing_on": _("The hearing cannot be before the warning.")})
    sanction.stage = SanctionStage.HEARING
    sanction.hearing_requested, sanction.hearing_on, sanction.hearing_notes = (
        True,
        hearing_on,
        notes,
    )
    sanction.save()
    log_action(
        actor=actor,
        action="gpmi.sanction.heard",
        obj=sanction,
        client_id=sanction.client_id,
        centre=sanction.centre,
        changes={"hearing_on": [None, str(hearing_on)]},
    )
    return sanction


@transaction.atomic
def sanction_decide(
    *,
    actor,
    sanction: Sanction,
    decision: str,
    decided_on: datetime.date,
    reason: str,
    suspension_start: datetime.date | None = None,
    suspension_end: datetime.date | None = None,
    partial_percent: int | None = None,
) -> Sanction:
    """Decide: no sanction, or a full or partial suspension within the legal maximum."""
    sanction = Sanction.objects.select_for_update().select_related("client").get(pk=sanction.pk)
    if sanction.stage == SanctionStage.DECIDED:
        raise ValidationError(_("A decision was already taken."), code="invalid_transition")
    earlier = list(
        Sanction.objects.filter(
            client_id=sanction.client_id,
            decision__in=[SanctionDecision.FULL, SanctionDecision.PARTIAL],
        )
        .exclude(pk=sanction.pk)
        .values_list("decided_on", flat=True)
    )
    rules.check_sanction_decision(
        decision=decision,
        decided_on=decided_on,
        warning_on=sanction.warning_on,
        hearing_on=sanction.hearing_on,
        reason=reason,
        suspension_start=suspension_start,
        suspension_end=suspension_end,
        partial_percent=partial_percent,
        earlier_decisions=[d for d in earlier if d],
    )
    suspended = decision != SanctionDecision.NONE
    sanction.stage = SanctionStage.DECIDED
    sanction.decision, sanction.decided_on, sanction.decision_reason = decision, decided_on, reason
    sanction.suspension_start = suspension_start if suspended else None
    sanction.suspension_end = suspension_end if suspended else None
    sanction.partial_percent = partial_percent if decision == SanctionDecision.PARTIAL else None
    sanction.save()
    log_action(
        actor=actor,
        action="gpmi.sanction.decided",
        obj=sanction,
        client_id=sanction.client_id,
        centre=sanction.centre,
        changes={"decision": [None, decision]},
    )
    return sanction


__all__ = ["REFLECTION_DAYS"]
