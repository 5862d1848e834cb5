"""clients.csv and rights.csv: the dossiers and their income rights."""

from __future__ import annotations

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from opstap.clients.models import Client, DutchLevel, Gender, Household, IncomeRight, RightKind
from opstap.core.models import Office
from opstap.interchange import bulk

from .. import fields
from ..registry import Column, FileCounts, FileData, FileSpec, ImportContext, Row

OLDEST_BIRTH_DATE = datetime.date(1900, 1, 1)
# File column -> Client attribute (office is resolved by name to office_id).
CLIENT_COLUMNS = {
    "last_name": "last_name",
    "first_name": "first_name",
    "birth_date": "birth_date",
    "gender": "gender",
    "insz": "insz",
    "language": "language",
    "dutch_level": "dutch_level",
    "household": "household",
    "office": "office_id",
}


def _line_text(line: int) -> str:
    return _("line %(line)d") % {"line": line}


# --- clients.csv ---------------------------------------------------------------------------


def load_clients(ctx: ImportContext, data: FileData) -> FileCounts:
    """Validate clients.csv against itself and the centre's dossiers, then create or update."""
    existing = {c.ref: c for c in Client.objects.filter(centre=ctx.centre)}
    offices = dict(Office.objects.filter(centre=ctx.centre).values_list("name", "id"))
    rows_by_ref = _unique_refs(ctx, data.rows)
    _check_birth_dates(ctx, data.rows)
    if "insz" in data.columns:
        _check_insz_unique(ctx, rows_by_ref, existing)
    ctx.refs["client"] = {ref: client.pk for ref, client in existing.items()}
    ctx.refs["client"].update({ref: existing.get(ref) and existing[ref].pk for ref in rows_by_ref})
    counts = FileCounts()
    if not ctx.writing:
        return counts
    _create_offices(ctx, rows_by_ref.values(), offices)
    new, changed = [], []
    defaults = _defaults()
    for ref, row in rows_by_ref.items():
        values = _client_values(row, data.columns, offices)
        client = existing.get(ref)
        if client is None:
            new.append(bulk.build(Client, centre=ctx.centre, ref=ref, **{**defaults, **values}))
        elif any(getattr(client, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(client, name, value)
            changed.append(client)
    bulk.insert(Client, new, batch_size=500)
    if changed:
        now = timezone.now()
        for client in changed:
            client.updated_at = now
        update_fields = [CLIENT_COLUMNS[c] for c in data.columns if c in CLIENT_COLUMNS]
        Client.objects.bulk_update(changed, [*update_fields, "updated_at"], batch_size=500)
    ctx.refs["client"].update({client.ref: client.pk for client in new})
    counts.created, counts.updated = len(new), len(changed)
    counts.unchanged = len(rows_by_ref) - len(new) - len(changed)
    return counts


def _unique_refs(ctx: ImportContext, rows: list[Row]) -> dict[str, Row]:
    first_line: dict[str, int] = {}
    result: dict[str, Row] = {}
    for row in rows:
        if not row.ok("client_ref"):
            continue
        ref = row["client_ref"]
        if ref in first_line:
            ctx.error(
                row,
                "client_ref",
                _("This reference is already used on %(where)s of this file.")
                % {"where": _line_text(first_line[ref])},
            )
            continue
        first_line[ref] = row.line
        result[ref] = row
    return result


def _check_birth_dates(ctx: ImportContext, rows: list[Row]) -> None:
    today = datetime.date.today()
    for row in rows:
        born = row["birth_date"]
        if born is None:
            continue
        if born > today:
            ctx.error(row, "birth_date", _("The birth date is in the future."))
        elif born < OLDEST_BIRTH_DATE:
            ctx.error(row, "birth_date", _("The birth date is before 1900."))


def _check_insz_unique(ctx: ImportContext, rows_by_ref: dict[str, Row], existing: dict) -> None:
    """An INSZ belongs to one dossier per centre, after the import as well as in the file."""
    owner = {c.insz: ref for ref, c in existing.items() if c.insz and ref not in rows_by_ref}
    first_line: dict[str, int] = {}
    for ref, row in rows_by_ref.items():
        insz = row["insz"]
        if not row.ok("insz") or not insz:
            if not row.ok("insz"):
                # Unreadable INSZ: keep the stored one reserved for its dossier.
                stored = existing.get(ref)
                if stored is not None and stored.insz:
                    owner.setdefault(stored.insz, ref)
            continue
        if insz in first_line:
            ctx.error(
                row,
                "insz",
                _("This INSZ is already used on %(where)s of this file.")
                % {"where": _line_text(first_line[insz])},
            )
        elif insz in owner:
            ctx.error(
                row,
                "insz",
                _("This INSZ already belongs to client %(ref)s in Opstap.") % {"ref": owner[insz]},
            )
        else:
            first_line[insz] = row.line


def _create_offices(ctx: ImportContext, rows, offices: dict[str, int]) -> None:
    names = {row["office"] for row in rows if row["office"] and row["office"] not in offices}
    created = Office.objects.bulk_create(
        [Office(centre=ctx.centre, name=name) for name in sorted(names)]
    )
    offices.update({office.name: office.pk for office in created})


def _client_values(row: Row, columns, offices: dict[str, int]) -> dict:
    values = {}
    for column, attribute in CLIENT_COLUMNS.items():
        if column not in columns:
            continue
        value = row[column]
        if column == "office":
            value = offices[value] if value else None
        elif value is None:
            value = ""  # optional text columns: "no value"
        values[attribute] = value
    return values


def _defaults() -> dict:
    """A column absent from the file gives the field's default (an empty cell gives no value):
    the defaults of every column, looked up once per file; the row's values replace them."""
    return {
        attribute: Client._meta.get_field(attribute.removesuffix("_id")).get_default()
        for attribute in CLIENT_COLUMNS.values()
    }


def export_clients(centre):
    offices = dict(Office.objects.filter(centre=centre).values_list("id", "name"))
    for client in Client.objects.filter(centre=centre).order_by():
        yield {
            "client_ref": client.ref,
            "last_name": client.last_name,
            "first_name": client.first_name,
            "birth_date": client.birth_date,
            "gender": client.gender,
            "insz": client.insz,
            "language": client.language,
            "dutch_level": client.dutch_level,
            "household": client.household,
            "office": offices.get(client.office_id),
        }


CLIENTS = FileSpec(
    filename="clients.csv",
    columns=(
        Column("client_ref", required=True, parse=fields.ref),
        Column("last_name", required=True, parse=fields.text_max(100)),
        Column("first_name", required=True, parse=fields.text_max(100)),
        Column("birth_date", required=True, parse=fields.date, format=fields.format_date),
        Column("gender", parse=fields.choice(Gender.values)),
        Column("insz", parse=fields.insz),
        Column("language", parse=fields.language),
        Column("dutch_level", parse=fields.choice(DutchLevel.values)),
        Column("household", parse=fields.choice(Household.values)),
        Column("office", parse=fields.text_max(120)),
    ),
    order=10,
    load=load_clients,
    export=export_clients,
    sort_by=("client_ref",),
    required=True,
)


# --- rights.csv ----------------------------------------------------------------------------


def load_rights(ctx: ImportContext, data: FileData) -> FileCounts:
    """Rights are identified by (client_ref, start_date); a client's rights must not overlap."""
    clients = ctx.refs.get("client")
    if clients is None:  # clients.csv could not be read: check against the stored dossiers
        clients = dict(Client.objects.filter(centre=ctx.centre).values_list("ref", "pk"))
    ref_of = {pk: ref for ref, pk in clients.items() if pk is not None}
    existing: dict[tuple[str, datetime.date], IncomeRight] = {}
    for right in IncomeRight.objects.filter(client__centre=ctx.centre).order_by():
        existing[(ref_of[right.client_id], right.start_date)] = right
    rows = _valid_right_rows(ctx, data.rows, clients)
    _check_overlaps(ctx, rows, existing)
    counts = FileCounts()
    if not ctx.writing:
        return counts
    new, changed = [], []
    for key, row in rows.items():
        right = existing.get(key)
        values = {"kind": row["kind"]}
        if "end_date" in data.columns:
            values["end_date"] = row["end_date"]
        if right is None:
            new.append(
                bulk.build(
                    IncomeRight,
                    client_id=clients[key[0]],
                    centre=ctx.centre,
                    start_date=key[1],
                    **_right_new(values),
                )
            )
        elif any(getattr(right, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(right, name, value)
            changed.append(right)
    bulk.insert(IncomeRight, new, batch_size=500)
    IncomeRight.objects.bulk_update(changed, ["kind", "end_date"], batch_size=500)
    counts.created, counts.updated = len(new), len(changed)
    counts.unchanged = len(rows) - len(new) - len(changed)
    return counts


def _right_new(values: dict) -> dict:
    return {"end_date": None, **values}


def _valid_right_rows(ctx, rows: list[Row], clients: dict) -> dict[tuple, Row]:
    """Rows whose client, dates and key are sound, by (client_ref, start_date)."""
    result: dict[tuple, Row] = {}
    for row in rows:
        if row.ok("client_ref") and row["client_ref"] not in clients:
            ctx.error(
                row,
                "client_ref",
                _("No client has this reference, in clients.csv or already in Opstap."),
            )
            continue
        end = row.get("end_date")
        if row.ok("start_date") and end is not None and end < row["start_date"]:
            ctx.error(row, "end_date", _("The end date cannot be before the start date."))
            continue
        if not row.ok("client_ref", "kind", "start_date", *row.raw.keys() & {"end_date"}):
            continue
        key = (row["client_ref"], row["start_date"])
        if key in result:
            ctx.error(
                row,
                "start_date",
                _("This client already has a right starting on this date on %(where)s.")
                % {"where": _line_text(result[key].line)},
            )
            continue
        result[key] = row
    return result


def _check_overlaps(ctx, rows: dict[tuple, Row], existing: dict[tuple, IncomeRight]) -> None:
    """Compare each client's rights as they will be after the import: file rows win."""
    periods: dict[str, dict[datetime.date, tuple]] = {}
    for (ref, start), right in existing.items():
        periods.setdefault(ref, {})[start] = (start, right.end_date, None)
    for (ref, start), row in rows.items():
        end = row.get("end_date")
        if "end_date" not in row.raw and (ref, start) in existing:
            end = existing[(ref, start)].end_date
        periods.setdefault(ref, {})[start] = (start, end, row)
    far = datetime.date.max
    for ref in {key[0] for key in rows}:
        ordered = sorted(periods[ref].values(), key=lambda p: p[0])
        for before, after in zip(ordered, ordered[1:], strict=False):
            if (before[1] or far) < after[0]:
                continue
            row = after[2] or before[2]
            other = before if row is after[2] else after
            if row is None:
                continue  # both already stored: not this import's doing
            ctx.error(row, "start_date", _overlap_message(other))


def _overlap_message(other: tuple) -> str:
    start, end, row = other
    period = _("%(start)s to %(end)s") % {
        "start": start.isoformat(),
        "end": end.isoformat() if end else _("open end"),
    }
    where = _line_text(row.line) if row is not None else _("already in Opstap")
    return _("This right overlaps another right of this client (%(period)s, %(where)s).") % {
        "period": period,
        "where": where,
    }


def export_rights(centre):
    rights = IncomeRight.objects.filter(client__centre=centre).select_related("client").order_by()
    for right in rights.only("kind", "start_date", "end_date", "client__ref"):
        yield {
            "client_ref": right.client.ref,
            "kind": right.kind,
            "start_date": right.start_date,
            "end_date": right.end_date,
        }


RIGHTS = FileSpec(
    filename="rights.csv",
    columns=(
        Column("client_ref", required=True, parse=fields.ref),
        Column("kind", required=True, parse=fields.choice(RightKind.values)),
        Column("start_date", required=True, parse=fields.date, format=fields.format_date),
        Column("end_date", parse=fields.date, format=fields.format_date),
    ),
    order=20,
    load=load_rights,
    export=export_rights,
    sort_by=("client_ref", "start_date"),
)
