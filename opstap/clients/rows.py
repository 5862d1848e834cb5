"""The caseload's rows, written in Python.

Twenty-five rows a page, each with the client's link, birth date, INSZ, office, income rights
and reference workers: in the template language they were a quarter of the page. The HTML is
the one the template wrote (a test renders the old row template beside it).
"""

from django.utils.safestring import SafeString, mark_safe

from opstap.core.dates import screen_date
from opstap.core.escaping import escaped
from opstap.core.links import pk_url

from .models import IncomeRight

_RIGHT_KINDS = dict(IncomeRight._meta.get_field("kind").flatchoices)
_NO_RIGHT = '<span class="muted">—</span>'


def caseload_row_html(client) -> SafeString:
    """One row; the client comes with `active_rights` and `reference_workers` prefetched."""
    rights = "".join(escaped(_RIGHT_KINDS.get(r.kind, r.kind)) for r in client.active_rights)
    workers = ", ".join(escaped(m.user) for m in client.reference_workers)
    return mark_safe(
        "\n        <tr>\n"
        f'          <td><a href="{escaped(pk_url("clients:detail", client.pk))}">'
        f"{escaped(client.last_name)}, {escaped(client.first_name)}</a></td>\n"
        f'          <td class="nowrap">{screen_date(client.birth_date)}</td>\n'
        f'          <td class="nowrap">{escaped(client.insz_display or "—")}</td>\n'
        f"          <td>{escaped(client.ref)}</td>\n"
        f"          <td>{escaped(client.office or '—')}</td>\n"
        f"          <td>{rights or _NO_RIGHT}</td>\n"
        f"          <td>{workers or '—'}</td>\n"
        "        </tr>\n      "
    )
