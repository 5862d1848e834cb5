"""Daily: remind partner contacts whose organisation has not submitted last month's hours."""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django_tasks import task

from opstap.core.models import Centre
from opstap.core.notifications import notify
from opstap.core.scheduling import daily

from .selectors import organisations_missing_hours, settings_for


def remind_centre(centre: Centre, today: datetime.date) -> int:
    """From the centre's due day on, notify the contacts of organisations still missing last
    month's hours (once per organisation, contact and month). Returns the new notifications."""
    if today.day < settings_for(centre).hours_due_day:
        return 0
    month = (today.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
    url = reverse("activation:partner-hours") + f"?month={month:%Y-%m}"
    sent = 0
    for org in organisations_missing_hours(centre, month):
        for contact in org.contacts.all():
            user = contact.user
            if not user.is_active:
                continue
            with translation.override(user.language):
                message = _(
                    "The hours of %(month)s for %(org)s have not been submitted yet. "
                    "Please fill them in and submit them."
                ) % {"month": f"{month:%m/%Y}", "org": org.name}
            if notify(
                user=user,
                kind="activation.hours_missing",
                message=message,
                key=f"activation.hours:{org.pk}:{month:%Y-%m}",
                url=url,
            ):
                sent += 1
    return sent


@daily(datetime.time(7, 0))
@task()
def remind_missing_hours() -> int:
    today = datetime.date.today()
    return sum(remind_centre(centre, today) for centre in Centre.objects.all())
