"""The caseload's rows, written in Python.

Twenty-five rows a page, each with the client's link, birth date, INSZ, office, income rights
and reference workers: in the template language they were a quarter of the page. The HTML is
the one the template wrote (a test renders the old row template beside it).
"""

import html

from django.utils.safestring import SafeString, mark_safe

from opstap.core.links import pk_url

from .models import IncomeRight

_RIGHT_KINDS = dict(IncomeRight._meta.get_field("kind").flatchoices)
_NO_RIGHT = '<span class="muted">—</span>'


def _e(value) -> str:
    """conditional_escape, without the lazy wrapper around Django's escape."""
    return value.__html__() if hasattr(value, "__html__") else html.escape(str(value))


def _date(day) -> str:
    return f"{day.day:02d}/{day.month:02d}/{day.year:04d}" if day else ""


def caseload_row_html(client) -> SafeString:
    """One row; the client comes with `active_rights` and `reference_workers` prefetched."""
    rights = "".join(_e(_RIGHT_KINDS.get(r.kind, r.kind)) for r in client.active_rights)
    workers = ", ".join(_e(m.user) for m in client.reference_workers)
    return mark_safe(
        "\n        <tr>\n"
        f'          <td><a href="{_e(pk_url("clients:detail", client.pk))}">'
        f"{_e(client.last_name)}, {_e(client.first_name)}</a></td>\n"
        f'          <td class="nowrap">{_date(client.birth_date)}</td>\n'
        f'          <td class="nowrap">{_e(client.insz_display or "—")}</td>\n'
        f"          <td>{_e(client.ref)}</td>\n"
        f"          <td>{_e(client.office or '—')}</td>\n"
        f"          <td>{rights or _NO_RIGHT}</td>\n"
        f"          <td>{workers or '—'}</td>\n"
        "        </tr>\n      "
    )
