"""GPMI events on the client's timeline and the "Next GPMI evaluation" header fact."""

from __future__ import annotations

from django.db.models import prefetch_related_objects
from django.utils.translation import gettext as _

from opstap.core.links import pk_url
from opstap.core.prepared import PreparedRead
from opstap.core.timeline import TimelineEvent, register

from .models import GpmiStatus, Sanction
from .selectors import contracts_of, current_gpmi, is_care_team_member, next_evaluation_for

_SANCTIONS = PreparedRead(lambda client_id: Sanction.objects.filter(client_id=client_id))


@register
def gpmi_events(client, user):
    """Drafted, proposed, signed, ended, exempted, amended, evaluated (three queries)."""
    contracts = contracts_of(client)
    prefetch_related_objects(contracts, "evaluations", "versions")
    for gpmi in contracts:
        url = pk_url("gpmi:detail", client.pk, gpmi.pk)
        if gpmi.status == GpmiStatus.EXEMPTED:
            yield TimelineEvent(
                gpmi.exempted_on or gpmi.created_at,
                "gpmi",
                _("Exempted from a GPMI"),
                detail=gpmi.exemption_reason[:300],
                url=pk_url("gpmi:client", client.pk),
            )
            continue
        kind = gpmi.get_kind_display()
        if gpmi.drafted_on:
            yield TimelineEvent(
                gpmi.drafted_on, "gpmi", _("GPMI drafted (%(kind)s)") % {"kind": kind}, url=url
            )
        if gpmi.proposed_on:
            yield TimelineEvent(gpmi.proposed_on, "gpmi", _("GPMI proposed to the client"), url=url)
        if gpmi.signed_on:
            yield TimelineEvent(gpmi.signed_on, "gpmi", _("GPMI signed"), url=url)
        if gpmi.status == GpmiStatus.ENDED and gpmi.end_date:
            yield TimelineEvent(
                gpmi.end_date, "gpmi", _("GPMI ended"), detail=gpmi.end_reason[:300], url=url
            )
        for version in gpmi.versions.all():
            yield TimelineEvent(
                version.amended_on, "gpmi", _("GPMI amended"), detail=version.reason[:300], url=url
            )
        for evaluation in gpmi.evaluations.all():
            title = (
                _("GPMI evaluated in a personal conversation")
                if evaluation.in_person
                else _("GPMI evaluated")
            )
            yield TimelineEvent(
                evaluation.date, "gpmi", title, detail=evaluation.summary[:300], url=url
            )
    if is_care_team_member(client, user):
        for sanction in _SANCTIONS.list(client.pk):
            yield TimelineEvent(
                sanction.warning_on,
                "gpmi",
                _("Formal warning about the GPMI"),
                url=pk_url("gpmi:sanctions", client.pk),
            )
            if sanction.decided_on:
                yield TimelineEvent(
                    sanction.decided_on,
                    "gpmi",
                    _("Sanction decided: %(decision)s")
                    % {"decision": sanction.get_decision_display()},
                    url=pk_url("gpmi:sanctions", client.pk),
                )


def gpmi_header_fact(client) -> list[tuple]:
    gpmi = current_gpmi(client)
    if gpmi is None:
        return [(_("GPMI"), _("none"))]
    if gpmi.status == GpmiStatus.EXEMPTED:
        return [(_("GPMI"), _("exempted"))]
    if gpmi.is_signed and gpmi.status != GpmiStatus.ENDED:
        # The timeline shows every evaluation anyway: one read for all contracts.
        prefetch_related_objects(contracts_of(client), "evaluations")
    due = next_evaluation_for(gpmi)
    if due is None:
        return [(_("GPMI"), gpmi.get_status_display())]
    return [(_("Next GPMI evaluation"), due.strftime("%d/%m/%Y"))]
