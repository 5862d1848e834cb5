"""Writes of the dashboards: rebalancing a team's caseload."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext as _

from opstap.clients.models import CareRole, CareTeamMember
from opstap.clients.services import care_member_add, care_member_end
from opstap.core.audit import log_action

from .access import head_required
from .team import reference_dossiers_of, team_worker_get


@transaction.atomic
def reference_reassign(
    *, actor, from_worker_id: int, to_worker_id, client_ids, day: datetime.date | None = None
) -> int:
    """Move the reference-worker role of some of a worker's dossiers to a colleague of the team.

    Both workers must be in the head's teams and every dossier must be one the head may open
    with `from_worker` as its current reference worker; anything else is a 404, so an outsider
    learns nothing. All or nothing; one audit entry per dossier besides the care-team entries.
    """
    head_required(actor)
    day = day or datetime.date.today()
    source = team_worker_get(actor, from_worker_id)
    if not str(to_worker_id or "").isdigit():
        raise ValidationError({"to_worker": _("Choose the new reference worker.")})
    target = team_worker_get(actor, to_worker_id)
    if target.pk == source.pk:
        raise ValidationError({"to_worker": _("Choose another worker than the current one.")})
    wanted = {int(pk) for pk in client_ids if str(pk).isdigit()}
    if not wanted:
        raise ValidationError({"clients": _("Select at least one dossier.")})
    clients = list(reference_dossiers_of(actor, source, today=day).filter(pk__in=wanted))
    if len(clients) != len(wanted):
        raise Http404
    memberships = CareTeamMember.objects.filter(
        client__in=clients, user=source, role=CareRole.REFERENCE, start_date__lte=day
    ).exclude(end_date__lt=day)
    by_client: dict[int, list[CareTeamMember]] = {}
    for member in memberships.select_for_update():
        by_client.setdefault(member.client_id, []).append(member)
    for client in clients:
        for member in by_client.get(client.pk, []):
            # The old worker keeps the dossier up to yesterday; the new one starts today.
            end = max(member.start_date, day - datetime.timedelta(days=1))
            member.client = client
            care_member_end(actor=actor, member=member, end_date=end)
        care_member_add(
            actor=actor, client=client, user=target, role=CareRole.REFERENCE, start_date=day
        )
        log_action(
            actor=actor,
            action="careteam.reference.reassigned",
            obj=client,
            client_id=client.pk,
            centre=client.centre,
            changes={"reference": [str(source), str(target)]},
        )
    return len(clients)
