"""One row of the partner's monthly hours grid, written in Python.

A city workshop's grid has a hundred rows or more, each with three inputs, their labels,
their errors and the saved state: in the template language that was most of the page. The
HTML is the one the template wrote (a test renders the old row template beside it for every
state of a row, in each language).
"""

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from opstap.core.dates import screen_date
from opstap.core.escaping import escaped, shown
from opstap.core.links import pk_url

from .models import MonthlyHours, Placement

FIELDS = ("hours", "transport_eur", "clothing_eur")
# What get_kind_display() and get_status_display() look up, without rebuilding the choices
# for every call; the labels are lazy, so they are read in the active language.
_KINDS = dict(Placement._meta.get_field("kind").flatchoices)
_STATUSES = dict(MonthlyHours._meta.get_field("status").flatchoices)


def _input(row: dict, field: str) -> str:
    pk = row["p"].pk
    error = row["errors"].get(field)
    invalid = ""
    if error:
        invalid = ' aria-invalid="true"'
        if field == "hours":
            invalid += f' aria-describedby="hours-{pk}-error"'
    readonly = " readonly" if row["locked"] else ""
    cell = (
        f'<td><input type="text" inputmode="decimal" name="{field}-{pk}" id="{field}-{pk}" '
        f'value="{shown(row[field])}" size="6" aria-label="{escaped(row["labels"][field])}"'
        f"{invalid}{readonly}>"
    )
    if error:
        error_id = f' id="hours-{pk}-error"' if field == "hours" else ""
        cell += f'<p class="field-error"{error_id}>{escaped(error)}</p>'
    return cell + "</td>"


def _state(row: dict, stale: bool) -> str:
    record = row["record"]
    if not record:
        return "—"
    state = escaped(_STATUSES.get(record.status, record.status))
    if stale:
        saved = _("Saved now: %(h)s hours, transport € %(t)s, clothing € %(c)s") % {
            "h": shown(record.hours),
            "t": shown(record.transport_eur),
            "c": shown(record.clothing_eur),
        }
        state += f'<br><small class="muted">{saved}</small>'
    return state


def grid_row_html(row: dict, *, stale: bool) -> SafeString:
    p = row["p"]
    kind = escaped(_KINDS.get(p.kind, p.kind))
    name, ref = escaped(row["name"]), escaped(p.ref)
    inputs = "\n      ".join(_input(row, field) for field in FIELDS)
    return mark_safe(
        "\n    <tr>\n"
        f'      <th scope="row">{name}<br><small class="muted">{ref} · {kind}'
        "</small></th>\n"
        f"      {inputs}\n"
        f"      <td>{_state(row, stale)}</td>\n"
        "    </tr>"
    )


def grid_body_html(rows: list[dict], *, stale: bool) -> SafeString:
    """Every row of the grid as one text: the table's body, kept as one value and written
    with one template variable (a loop over a hundred kept rows cost about 0.2 ms a visit,
    reading them back from the cache included). Empty when the month has no rows."""
    return mark_safe("".join(grid_row_html(row, stale=stale) for row in rows))


def due_evaluations_html(due) -> SafeString:
    """The list items of the evaluation forms a partner has to fill in, for (placement, day)
    pairs, as the grid page's template loop wrote them (a link, the name, the due day)."""
    text = _("due %(d)s")
    return mark_safe(
        "".join(
            f'<li><a href="{escaped(pk_url("activation:partner-evaluation", p.pk))}">'
            f"{escaped(p.client.full_name)}</a> — {text % {'d': screen_date(day)}}</li>"
            for p, day in due
        )
    )
