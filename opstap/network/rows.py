"""The partner portal's referral lists, written in Python.

The portal shows up to 60 referrals a page: those waiting for an answer with a status form
each, the running ones and the earlier ones. In the template language those rows were most of
the page. The HTML is the one the templates wrote: a test renders the old row templates (and
the status badge and form templates the other pages still include) beside these functions.
"""

from __future__ import annotations

from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from django.utils.translation import get_language, gettext, ngettext

from opstap.core.dates import screen_date
from opstap.core.escaping import escaped
from opstap.core.links import pk_url

from .models import ReferralStatus

# Where a row kept between requests takes the request's own CSRF token and address. What the
# rows write is escaped data and fixed markup and texts: no "<" between NULs, which these are.
CSRF_SLOT = "\x00<csrf>\x00"
NEXT_SLOT = "\x00<next>\x00"
_SLOTS = (CSRF_SLOT, NEXT_SLOT)

_STRONG = {ReferralStatus.ACCEPTED, ReferralStatus.STARTED}
_TEXTS: dict[str | None, dict] = {}


def _texts() -> dict:
    """The rows' fixed texts in the active language, translated once per process."""
    language = get_language()
    texts = _TEXTS.get(language)
    if texts is None:
        texts = _TEXTS[language] = {
            "status": {value: escaped(label) for value, label in ReferralStatus.choices},
            "mark_as": {
                value: gettext("Mark as %(s)s") % {"s": escaped(label)}
                for value, label in ReferralStatus.choices
            },
            "note": gettext("Note or outcome"),
            "note_help": gettext("Required when you end the referral: describe the outcome."),
            "update": gettext("Update status"),
            "not_shared": gettext("Referral no. %(n)s (name not shared)"),
            "number": gettext("Referral no. %(n)s"),
        }
    return texts


def status_badge_html(r) -> str:
    """network/_status_badge.html, with its closing newline."""
    tone = " ok" if r.status in _STRONG else " danger" if r.status == ReferralStatus.REFUSED else ""
    status = _texts()["status"]
    badge = f'<span class="badge{tone}">{status.get(r.status) or escaped(r.status)}</span>'
    if r.overdue:
        days = r.waiting_since()
        text = ngettext("no answer after %(n)s day", "no answer after %(n)s days", days) % {
            "n": days
        }
        badge += f' <span class="badge warn">{text}</span>'
    return badge + "\n"


def fill_slots(html: str, *, csrf_token: str, next_path: str) -> str:
    """Rows written with CSRF_SLOT and NEXT_SLOT, with the request's own values in their place."""
    if CSRF_SLOT not in html:
        return html
    return html.replace(CSRF_SLOT, escaped(csrf_token)).replace(NEXT_SLOT, escaped(next_path))


def _value(text: str) -> str:
    return text if text in _SLOTS else escaped(text)


def status_form_html(r, *, csrf_token: str, next_path: str) -> str:
    """network/_status_form.html, with its closing newline. The token and address may be
    CSRF_SLOT and NEXT_SLOT, for rows kept between requests."""
    statuses = r.next_statuses
    if not statuses:
        return "\n"
    pk = r.pk
    texts = _texts()
    buttons = "".join(
        "\n    "
        f'<button type="submit" name="status" value="{escaped(value)}" '
        f'class="btn{" primary" if value in _STRONG else ""}">'
        f"{texts['mark_as'][value]}</button>\n  "
        for value, _label in statuses
    )
    return (
        "\n"
        f'<form method="post" action="{escaped(pk_url("network:referral-status", pk))}" '
        'class="status-form"><input type="hidden" name="csrfmiddlewaretoken" '
        f'value="{_value(csrf_token)}">\n'
        f'  <input type="hidden" name="next" value="{_value(next_path)}">\n'
        '  <div class="field">\n'
        f'    <label for="note-{pk}">{texts["note"]}</label>\n'
        f'    <textarea name="note" id="note-{pk}" rows="2" '
        f'aria-describedby="note-help-{pk}"></textarea>\n'
        f'    <small class="help" id="note-help-{pk}">'
        f"{texts['note_help']}"
        "</small>\n"
        "  </div>\n"
        f"  {buttons}\n"
        "</form>\n\n"
    )


def _shares_name(r) -> bool:
    return "name" in r.shared_info


def partner_referral_row_html(
    r, *, answer: bool, csrf_token: str = "", next_path: str = ""
) -> SafeString:
    """One row of the portal's referral table (with the answer form when `answer`)."""
    link = escaped(pk_url("network:partner-referral", r.pk))
    if _shares_name(r):
        client = escaped(r.client.full_name)
    else:
        client = '<span class="muted">' + _texts()["not_shared"] % {"n": r.pk} + "</span>"
    if r.place:
        target = escaped(r.place.title)
    elif r.offer:
        target = escaped(r.offer.name)
    else:
        target = "—"
    reason = escaped(Truncator(r.reason).words(25, truncate=" …"))
    if answer:
        last = "<td>" + status_form_html(r, csrf_token=csrf_token, next_path=next_path)
    else:
        last = f'<td class="nowrap"><a class="btn" href="{link}">{_texts()["update"]}</a>'
    return mark_safe(
        "\n"
        f'    <tr><td><a href="{link}">{screen_date(r.referred_on)}</a></td>\n'
        f"      <td>{client}</td>\n"
        f"      <td>{target}<br><small>{reason}</small></td>\n"
        f"      <td>{status_badge_html(r)}</td>\n"
        f"      {last}</td></tr>\n  "
    )


def earlier_referral_item_html(r) -> SafeString:
    """One item of the portal's list of earlier referrals."""
    link = escaped(pk_url("network:partner-referral", r.pk))
    if _shares_name(r):
        who = escaped(r.client.full_name)
    else:
        who = _texts()["number"] % {"n": r.pk}
    return mark_safe(
        f'<li><a href="{link}">{screen_date(r.referred_on)}</a> — {who} {status_badge_html(r)}</li>'
    )
