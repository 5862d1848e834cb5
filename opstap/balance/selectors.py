"""Reads of the balance. Access to the client is checked by the caller (client_get_for)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.apps import apps
from django.db.models import Prefetch, QuerySet
from django.http import Http404

from opstap.core.dossier import client_rows, shared_read
from opstap.core.prepared import PreparedRead

from .models import (
    Balance,
    BalanceBarrier,
    CentreBarrier,
    Choice,
    InstrumentResponse,
    InstrumentSection,
    InstrumentTemplate,
    Question,
)

_BALANCES = PreparedRead(
    lambda client_id: Balance.objects.filter(client_id=client_id).order_by("-started_on", "-id")
)


def balances_of(client) -> list[Balance]:
    """The client's balances, newest first (read once per request, for header and timeline)."""
    return shared_read(client, "balances", lambda: client_rows(_BALANCES, client))


def balance_get_for(*, client, pk: int) -> Balance:
    """One balance of a client the caller has already been allowed to open, or 404."""
    balance = client.balances.filter(pk=pk).first()
    if balance is None:
        raise Http404
    balance.client = client
    return balance


def _template_prefetch() -> Prefetch:
    questions = Question.objects.prefetch_related(
        Prefetch("choices", queryset=Choice.objects.order_by("position", "id"))
    ).order_by("position", "id")
    return Prefetch(
        "sections",
        queryset=InstrumentSection.objects.prefetch_related(
            Prefetch("questions", queryset=questions)
        ).order_by("position", "id"),
    )


def template_with_content(qs: QuerySet[InstrumentTemplate]) -> QuerySet[InstrumentTemplate]:
    return qs.prefetch_related(_template_prefetch())


def instruments_offered(centre) -> QuerySet[InstrumentTemplate]:
    """The instruments a worker can answer now: latest, active versions."""
    return InstrumentTemplate.objects.filter(centre=centre, latest=True, active=True)


def instrument_admin_list(centre) -> QuerySet[InstrumentTemplate]:
    return InstrumentTemplate.objects.filter(centre=centre, latest=True)


def template_get(*, centre, pk: int) -> InstrumentTemplate:
    template = template_with_content(InstrumentTemplate.objects.filter(centre=centre, pk=pk))
    found = template.first()
    if found is None:
        raise Http404
    return found


def responses_for(balance: Balance) -> list[InstrumentResponse]:
    """The balance's answers, each with the exact questions of its template version."""
    responses = list(balance.responses.select_related("updated_by").order_by("id"))
    templates = template_with_content(
        InstrumentTemplate.objects.filter(pk__in=[r.template_id for r in responses])
    ).in_bulk()
    for response in responses:
        response.template = templates[response.template_id]
    return sorted(responses, key=lambda r: (r.template.position, r.template.code))


def barriers_for(balance: Balance) -> list[BalanceBarrier]:
    return list(balance.barriers.select_related("centre_barrier"))


def centre_barriers(centre) -> QuerySet[CentreBarrier]:
    return CentreBarrier.objects.filter(centre=centre)


@dataclass
class AnsweredQuestion:
    label: str
    kind: str
    answer: str


@dataclass
class AnsweredSection:
    title: str
    questions: list[AnsweredQuestion] = field(default_factory=list)


def answers_display(response: InstrumentResponse) -> list[AnsweredSection]:
    """The answers as label/answer text, in the active language, in template order."""
    from .forms import answer_text

    result = []
    for section in response.template.sections.all():
        shown = AnsweredSection(section.title)
        for question in section.questions.all():
            value = response.answers.get(str(question.pk))
            if value in (None, "", []):
                continue
            shown.questions.append(
                AnsweredQuestion(question.label, question.kind, answer_text(question, value))
            )
        if shown.questions:
            result.append(shown)
    return result


def proposed_trajectory_type(balance: Balance):
    """The catalogue entry of the proposed trajectory, or None (free text, or no catalogue)."""
    if not balance.proposed_trajectory:
        return None
    try:
        model = apps.get_model("trajectories", "TrajectoryType")
    except LookupError:
        return None
    return model.objects.filter(
        centre_id=balance.centre_id, code=balance.proposed_trajectory
    ).first()


def consent_for(client) -> dict:
    """What the client agreed may be shared, from their latest balance with a consent date.

    {"given_on": date | None, "balance_id": int | None,
     "categories": {category code: "recipients as the worker wrote them"}}
    """
    balance = (
        client.balances.filter(sharing_consent_date__isnull=False)
        .order_by("-sharing_consent_date", "-id")
        .prefetch_related("consents")
        .first()
    )
    if balance is None:
        return {"given_on": None, "balance_id": None, "categories": {}}
    return {
        "given_on": balance.sharing_consent_date,
        "balance_id": balance.pk,
        "categories": {c.category: c.recipients for c in balance.consents.all()},
    }
