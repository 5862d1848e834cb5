"""Timeline events of the dossier itself: rights, care team, journal, appointments."""

from django.utils.translation import gettext as _

from opstap.core.timeline import TimelineEvent, register

from .selectors import appointment_rows_of, care_team_members, journal_rows_of, rights_of


@register
def dossier_events(client, user):
    yield TimelineEvent(client.created_at, "dossier", _("Dossier opened"))
    for right in rights_of(client):
        yield TimelineEvent(
            right.start_date, "right", _("%(kind)s starts") % {"kind": right.get_kind_display()}
        )
        if right.end_date:
            yield TimelineEvent(
                right.end_date, "right", _("%(kind)s ends") % {"kind": right.get_kind_display()}
            )
    for member in care_team_members(client):
        yield TimelineEvent(
            member.start_date,
            "care",
            _("%(user)s joins the care team as %(role)s")
            % {"user": member.user, "role": member.get_role_display().lower()},
        )
        if member.end_date:
            yield TimelineEvent(
                member.end_date,
                "care",
                _("%(user)s leaves the care team (%(role)s)")
                % {"user": member.user, "role": member.get_role_display().lower()},
            )
    for note in journal_rows_of(client, user):
        yield TimelineEvent(
            note.occurred_on,
            "journal",
            note.subject,
            detail=note.text,
            author=str(note.author),
        )
    for appointment in appointment_rows_of(client):
        title = appointment.subject
        if appointment.cancelled:
            title = _("%(subject)s (cancelled)") % {"subject": appointment.subject}
        yield TimelineEvent(
            appointment.starts_at,
            "appointment",
            title,
            detail=appointment.location,
            author=str(appointment.worker),
        )
