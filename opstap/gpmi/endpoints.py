"""REST API of GPMI contracts (/api/v1/gpmi/): contracts, goals, steps, evaluations.

Same access as the pages: a contract is reachable through a dossier the user may open
(care team, or the team for a head); everyone else gets 404. Stale saves (a `version` that is
not the stored one) and broken rules answer 422 naming the field (opstap.api.errors).
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status

from opstap.clients.selectors import client_get_for, client_queryset_for

from . import selectors, services
from .models import (
    GoalStatus,
    Gpmi,
    GpmiEvaluation,
    GpmiGoal,
    GpmiKind,
    GpmiStatus,
    GpmiStep,
    LifeDomain,
    Priority,
    StepOwner,
)

PREFIX = "/gpmi/"
router = Router(tags=["gpmi"])


class StepOut(Schema):
    id: int
    ref: str
    goal_id: int
    text: str
    owner: StepOwner
    due_date: datetime.date | None
    done_on: datetime.date | None


class GoalOut(Schema):
    id: int
    ref: str
    gpmi_id: int
    life_domain: str
    priority_id: int | None
    text: str
    status: GoalStatus
    steps: list[StepOut]

    @staticmethod
    def resolve_life_domain(obj: GpmiGoal) -> str:
        return obj.domain.code

    @staticmethod
    def resolve_steps(obj: GpmiGoal) -> list:
        return list(obj.steps.all())


class EvaluationOut(Schema):
    id: int
    ref: str
    gpmi_id: int
    date: datetime.date
    in_person: bool
    summary: str


class GpmiOut(Schema):
    id: int
    ref: str
    client_id: int
    kind: GpmiKind
    status: GpmiStatus
    version: int
    revision: int
    amending: bool
    drafted_on: datetime.date | None
    proposed_on: datetime.date | None
    signed_on: datetime.date | None
    centre_signed_on: datetime.date | None
    committee_decision_on: datetime.date | None
    start_date: datetime.date | None
    end_date: datetime.date | None
    end_reason: str
    needs_analysis: str
    client_commitments: str
    centre_commitments: str
    evaluation_arrangements: str
    exemption_ground: str
    exemption_reason: str
    next_evaluation: datetime.date | None

    @staticmethod
    def resolve_next_evaluation(obj: Gpmi) -> datetime.date | None:
        return selectors.next_evaluation_for(obj)


class GpmiDetailOut(GpmiOut):
    goals: list[GoalOut]
    evaluations: list[EvaluationOut]

    @staticmethod
    def resolve_goals(obj: Gpmi) -> list:
        return selectors.goals_for(obj)

    @staticmethod
    def resolve_evaluations(obj: Gpmi) -> list:
        return list(obj.evaluations.all())


class GpmiIn(Schema):
    kind: GpmiKind = GpmiKind.STANDARD
    priority_ids: list[int] = []
    needs_analysis: str = ""


class GpmiPatch(Schema):
    version: int
    kind: GpmiKind | None = None
    needs_analysis: str | None = None
    client_commitments: str | None = None
    centre_commitments: str | None = None
    evaluation_arrangements: str | None = None
    start_date: datetime.date | None = None
    end_date: datetime.date | None = None


class GoalIn(Schema):
    version: int
    life_domain: str
    text: str
    priority_id: int | None = None
    status: GoalStatus = GoalStatus.OPEN


class GoalPatch(Schema):
    version: int
    text: str | None = None
    status: GoalStatus | None = None


class StepIn(Schema):
    version: int
    text: str
    owner: StepOwner = StepOwner.CLIENT
    due_date: datetime.date | None = None
    done_on: datetime.date | None = None


class StepPatch(Schema):
    version: int
    text: str | None = None
    owner: StepOwner | None = None
    due_date: datetime.date | None = None
    done_on: datetime.date | None = None


class EvaluationIn(Schema):
    date: datetime.date
    in_person: bool
    summary: str = ""


def _contract(request: HttpRequest, gpmi_id: int) -> Gpmi:
    gpmi = (
        Gpmi.objects.filter(pk=gpmi_id, client__in=client_queryset_for(request.user))
        .select_related("client", "centre")
        .first()
    )
    if gpmi is None:
        raise Http404
    return gpmi


def _goal(request: HttpRequest, goal_id: int) -> GpmiGoal:
    goal = (
        GpmiGoal.objects.filter(pk=goal_id, gpmi__client__in=client_queryset_for(request.user))
        .select_related("gpmi", "gpmi__centre", "domain")
        .first()
    )
    if goal is None:
        raise Http404
    return goal


def _step(request: HttpRequest, step_id: int) -> GpmiStep:
    step = (
        GpmiStep.objects.filter(
            pk=step_id, goal__gpmi__client__in=client_queryset_for(request.user)
        )
        .select_related("goal", "goal__gpmi")
        .first()
    )
    if step is None:
        raise Http404
    return step


def _set(payload: Schema) -> dict:
    return {k: v for k, v in payload.dict(exclude_unset=True).items() if k != "version"}


@router.get("/clients/{client_id}/contracts", response=list[GpmiOut])
def contract_list(request: HttpRequest, client_id: int):
    client = client_get_for(user=request.user, pk=client_id)
    return list(selectors.gpmis_for(client).select_related("centre"))


@router.post("/clients/{client_id}/contracts", response={201: GpmiDetailOut})
def contract_create(request: HttpRequest, client_id: int, payload: GpmiIn):
    client = client_get_for(user=request.user, pk=client_id, audit=False)
    priorities = list(
        Priority.objects.filter(
            pk__in=payload.priority_ids, domain__centre=client.centre
        ).select_related("domain")
    )
    gpmi = services.gpmi_create(
        actor=request.user,
        client=client,
        kind=payload.kind,
        priorities=priorities,
        needs_analysis=payload.needs_analysis,
    )
    return Status(201, gpmi)


@router.get("/contracts/{gpmi_id}", response=GpmiDetailOut)
def contract_read(request: HttpRequest, gpmi_id: int):
    return _contract(request, gpmi_id)


@router.patch("/contracts/{gpmi_id}", response=GpmiDetailOut)
def contract_update(request: HttpRequest, gpmi_id: int, payload: GpmiPatch):
    gpmi = _contract(request, gpmi_id)
    return services.gpmi_update(
        actor=request.user, gpmi=gpmi, expected_version=payload.version, **_set(payload)
    )


@router.post("/contracts/{gpmi_id}/goals", response={201: GoalOut})
def goal_create(request: HttpRequest, gpmi_id: int, payload: GoalIn):
    gpmi = _contract(request, gpmi_id)
    domain = LifeDomain.objects.filter(centre=gpmi.centre, code=payload.life_domain).first()
    if domain is None:
        raise ValidationError(
            {"life_domain": _("This life domain is not in the centre's catalogue.")}
        )
    priority = (
        Priority.objects.filter(pk=payload.priority_id, domain__centre=gpmi.centre).first()
        if payload.priority_id
        else None
    )
    goal = services.goal_create(
        actor=request.user,
        gpmi=gpmi,
        expected_version=payload.version,
        domain=domain,
        priority=priority,
        text=payload.text,
        status=payload.status,
    )
    return Status(201, goal)


@router.patch("/goals/{goal_id}", response=GoalOut)
def goal_update(request: HttpRequest, goal_id: int, payload: GoalPatch):
    goal = _goal(request, goal_id)
    return services.goal_update(
        actor=request.user, goal=goal, expected_version=payload.version, **_set(payload)
    )


@router.post("/goals/{goal_id}/steps", response={201: StepOut})
def step_create(request: HttpRequest, goal_id: int, payload: StepIn):
    goal = _goal(request, goal_id)
    # Every field, not only the ones sent: an omitted owner takes the schema's default.
    step = services.step_create(
        actor=request.user,
        goal=goal,
        expected_version=payload.version,
        text=payload.text,
        owner=payload.owner,
        due_date=payload.due_date,
        done_on=payload.done_on,
    )
    return Status(201, step)


@router.patch("/steps/{step_id}", response=StepOut)
def step_update(request: HttpRequest, step_id: int, payload: StepPatch):
    step = _step(request, step_id)
    return services.step_update(
        actor=request.user, step=step, expected_version=payload.version, **_set(payload)
    )


@router.get("/contracts/{gpmi_id}/evaluations", response=list[EvaluationOut])
def evaluation_list(request: HttpRequest, gpmi_id: int):
    return list(_contract(request, gpmi_id).evaluations.all())


@router.post("/contracts/{gpmi_id}/evaluations", response={201: EvaluationOut})
def evaluation_create(request: HttpRequest, gpmi_id: int, payload: EvaluationIn):
    gpmi = _contract(request, gpmi_id)
    evaluation: GpmiEvaluation = services.evaluation_create(
        actor=request.user, gpmi=gpmi, **payload.dict()
    )
    return Status(201, evaluation)
