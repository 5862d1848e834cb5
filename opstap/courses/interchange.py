"""modules.csv, editions.csv and enrolments.csv of the interchange format (spec/interchange.md).

The format knows one partner per module (its org_ref) and the statuses enrolled, completed and
dropped; the waiting list and the week schedule stay in Opstap and are not exported.
"""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext as _

from opstap.clients.models import Client
from opstap.interchange import bulk, fields
from opstap.interchange.registry import Column, FileCounts, FileData, FileSpec, ImportContext
from opstap.network.models import Organisation

from .models import PARTICIPANT_STATUSES, Edition, Enrolment, Module


def _refs(ctx: ImportContext, key: str, model) -> dict:
    """The refs an earlier file published, or the centre's stored ones when it was absent."""
    if key not in ctx.refs:
        ctx.refs[key] = dict(model.objects.filter(centre=ctx.centre).values_list("ref", "pk"))
    return ctx.refs[key]


def _unique(ctx: ImportContext, data: FileData, *key_columns: str) -> dict:
    rows, first_line = {}, {}
    for row in data.rows:
        if not row.ok(*key_columns):
            continue
        key = tuple(row[c] for c in key_columns)
        if key in first_line:
            ctx.error(
                row,
                key_columns[-1],
                _("This reference is already used on line %(line)d of this file.")
                % {"line": first_line[key]},
            )
            continue
        first_line[key] = row.line
        rows[key if len(key) > 1 else key[0]] = row
    return rows


def _check_ref(ctx, row, column: str, known: dict, message) -> None:
    if row.ok(column) and row[column] is not None and row[column] not in known:
        ctx.error(row, column, message)


def _counts(new: list, changed: list, total: int) -> FileCounts:
    return FileCounts(
        created=len(new), updated=len(changed), unchanged=total - len(new) - len(changed)
    )


# --- modules.csv -----------------------------------------------------------------------------

MODULE_COLUMNS = {
    "name": "name_nl",
    "target_group": "target_group",
    "description": "description_nl",
}


def load_modules(ctx: ImportContext, data: FileData) -> FileCounts:
    organisations = _refs(ctx, "organisation", Organisation)
    existing = {
        m.ref: m for m in Module.objects.filter(centre=ctx.centre).prefetch_related("partners")
    }
    rows = _unique(ctx, data, "module_ref")
    for row in rows.values():
        _check_ref(
            ctx, row, "partner", organisations, _("No partner organisation has this org_ref.")
        )
    ctx.refs["module"] = {ref: m.pk for ref, m in existing.items()}
    ctx.refs["module"].update({ref: existing[ref].pk if ref in existing else None for ref in rows})
    if not ctx.writing:
        return FileCounts()
    new, changed, partner_of = [], [], {}
    for ref, row in rows.items():
        values = {
            attr: row[col] or "" for col, attr in MODULE_COLUMNS.items() if col in data.columns
        }
        module = existing.get(ref)
        partner_changed = False
        if "partner" in data.columns:
            wanted = {row["partner"]} if row["partner"] else set()
            have = {o.ref for o in module.partners.all()} if module else set()
            partner_changed = wanted != have
            partner_of[ref] = wanted
        if module is None:
            module = bulk.build(Module, centre=ctx.centre, ref=ref, **values)
            new.append(module)
        elif partner_changed or any(getattr(module, k) != v for k, v in values.items()):
            for name, value in values.items():
                setattr(module, name, value)
            changed.append(module)
    bulk.insert(Module, new, batch_size=500)
    fields_to_update = [MODULE_COLUMNS[c] for c in data.columns if c in MODULE_COLUMNS]
    if changed and fields_to_update:
        Module.objects.bulk_update(changed, fields_to_update, batch_size=500)
    ctx.refs["module"].update({m.ref: m.pk for m in new})
    if partner_of:
        through = Module.partners.through
        touched = [m.pk for m in new + changed if m.ref in partner_of]
        through.objects.filter(module_id__in=touched).delete()
        through.objects.bulk_create(
            through(module_id=ctx.refs["module"][ref], organisation_id=organisations[org_ref])
            for ref, wanted in partner_of.items()
            if ctx.refs["module"][ref] in touched
            for org_ref in wanted
        )
    return _counts(new, changed, len(rows))


def export_modules(centre):
    for module in Module.objects.filter(centre=centre).prefetch_related("partners").order_by():
        partners = sorted(o.ref for o in module.partners.all())
        yield {
            "module_ref": module.ref,
            "name": module.name_nl,
            "target_group": module.target_group,
            "partner": partners[0] if partners else None,
            "description": module.description_nl,
        }


MODULES = FileSpec(
    filename="modules.csv",
    columns=(
        Column("module_ref", required=True, parse=fields.ref),
        Column("name", required=True, parse=fields.text_max(200)),
        Column("target_group"),
        Column("partner", parse=fields.ref),
        Column("description"),
    ),
    order=70,  # after organisations.csv (40)
    load=load_modules,
    export=export_modules,
    sort_by=("module_ref",),
)


# --- editions.csv ----------------------------------------------------------------------------

EDITION_COLUMNS = ("start_date", "end_date", "capacity", "cost_eur")


def load_editions(ctx: ImportContext, data: FileData) -> FileCounts:
    modules = _refs(ctx, "module", Module)
    existing = {e.ref: e for e in Edition.objects.filter(centre=ctx.centre)}
    rows = _unique(ctx, data, "edition_ref")
    for row in rows.values():
        _check_ref(ctx, row, "module_ref", modules, _("No module has this module_ref."))
        start, end = row["start_date"], row["end_date"]
        if row.ok("start_date", "end_date") and end < start:
            ctx.error(row, "end_date", _("The end date lies before the start date."))
        if row.ok("capacity") and row["capacity"] is not None and not 0 < row["capacity"] < 32768:
            ctx.error(row, "capacity", _("Give a capacity from 1 to 32767, or leave it empty."))
    ctx.refs["edition"] = {ref: e.pk for ref, e in existing.items()}
    ctx.refs["edition"].update({ref: existing[ref].pk if ref in existing else None for ref in rows})
    if not ctx.writing:
        return FileCounts()
    new, changed = [], []
    columns = [c for c in EDITION_COLUMNS if c in data.columns]
    for ref, row in rows.items():
        values = {c: row[c] for c in columns}
        values["module_id"] = modules[row["module_ref"]]
        edition = existing.get(ref)
        if edition is None:
            new.append(bulk.build(Edition, centre=ctx.centre, ref=ref, **values))
        elif any(getattr(edition, k) != v for k, v in values.items()):
            for name, value in values.items():
                setattr(edition, name, value)
            changed.append(edition)
    bulk.insert(Edition, new, batch_size=500)
    if changed:
        Edition.objects.bulk_update(changed, [*columns, "module_id"], batch_size=500)
    ctx.refs["edition"].update({e.ref: e.pk for e in new})
    return _counts(new, changed, len(rows))


def export_editions(centre):
    for edition in Edition.objects.filter(centre=centre).select_related("module").order_by():
        yield {
            "edition_ref": edition.ref,
            "module_ref": edition.module.ref,
            "start_date": edition.start_date,
            "end_date": edition.end_date,
            "capacity": edition.capacity,
            "cost_eur": edition.cost_eur,
        }


EDITIONS = FileSpec(
    filename="editions.csv",
    columns=(
        Column("edition_ref", required=True, parse=fields.ref),
        Column("module_ref", required=True, parse=fields.ref),
        Column("start_date", required=True, parse=fields.date, format=fields.format_date),
        Column("end_date", required=True, parse=fields.date, format=fields.format_date),
        Column("capacity", parse=fields.integer),
        Column(
            "cost_eur",
            parse=fields.decimal_places(2, minimum=Decimal("0"), maximum=Decimal("99999999.99")),
            format=fields.format_decimal(2),
        ),
    ),
    order=71,
    load=load_editions,
    export=export_editions,
    sort_by=("edition_ref",),
)


# --- enrolments.csv --------------------------------------------------------------------------

ENROLMENT_COLUMNS = ("enrolled_on", "status", "left_on", "reason")


def load_enrolments(ctx: ImportContext, data: FileData) -> FileCounts:
    editions = _refs(ctx, "edition", Edition)
    clients = _refs(ctx, "client", Client)
    rows = _unique(ctx, data, "edition_ref", "client_ref")
    for row in rows.values():
        _check_ref(ctx, row, "edition_ref", editions, _("No edition has this edition_ref."))
        _check_ref(ctx, row, "client_ref", clients, _("No client has this reference."))
        if (
            row.ok("enrolled_on", "left_on")
            and row["left_on"]
            and row["left_on"] < row["enrolled_on"]
        ):
            ctx.error(row, "left_on", _("The client cannot leave before being enrolled."))
        if row.ok("status", "left_on") and row["status"] == "enrolled" and row["left_on"]:
            ctx.error(row, "left_on", _("An enrolled client has not left: leave left_on empty."))
        if row.ok("reason") and row["reason"] and len(row["reason"]) > 250:
            ctx.error(
                row,
                "reason",
                _("This text is too long: at most %(max)d characters.") % {"max": 250},
            )
    if not ctx.writing:
        return FileCounts()
    edition_ids = {pk for pk in editions.values() if pk}
    existing = {
        (e.edition_id, e.client_id): e for e in Enrolment.objects.filter(edition_id__in=edition_ids)
    }
    new, changed = [], []
    columns = [c for c in ENROLMENT_COLUMNS if c in data.columns]
    for (edition_ref, client_ref), row in rows.items():
        values = {c: row[c] for c in columns}
        if "reason" in values:
            values["reason"] = values["reason"] or ""
        key = (editions[edition_ref], clients[client_ref])
        enrolment = existing.get(key)
        if enrolment is None:
            new.append(
                bulk.build(
                    Enrolment,
                    edition_id=key[0],
                    client_id=key[1],
                    proposed_on=row["enrolled_on"],
                    **values,
                )
            )
        elif any(getattr(enrolment, k) != v for k, v in values.items()):
            for name, value in values.items():
                setattr(enrolment, name, value)
            changed.append(enrolment)
    bulk.insert(Enrolment, new, batch_size=1000)
    if changed:
        Enrolment.objects.bulk_update(changed, columns, batch_size=1000)
    return _counts(new, changed, len(rows))


def export_enrolments(centre):
    qs = Enrolment.objects.filter(
        edition__centre=centre, status__in=PARTICIPANT_STATUSES
    ).select_related("edition", "client")
    for e in qs.order_by():
        yield {
            "edition_ref": e.edition.ref,
            "client_ref": e.client.ref,
            "enrolled_on": e.enrolled_on or e.proposed_on,
            "status": e.status,
            "left_on": e.left_on,
            "reason": e.reason,
        }


ENROLMENTS = FileSpec(
    filename="enrolments.csv",
    columns=(
        Column("edition_ref", required=True, parse=fields.ref),
        Column("client_ref", required=True, parse=fields.ref),
        Column("enrolled_on", required=True, parse=fields.date, format=fields.format_date),
        Column(
            "status", required=True, parse=fields.choice([str(s) for s in PARTICIPANT_STATUSES])
        ),
        Column("left_on", parse=fields.date, format=fields.format_date),
        Column("reason"),
    ),
    order=72,
    load=load_enrolments,
    export=export_enrolments,
    sort_by=("edition_ref", "client_ref", "enrolled_on"),
)
