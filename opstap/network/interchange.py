"""organisations.csv of the interchange format (spec/interchange.md): the partner organisations."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from opstap.interchange import bulk, fields
from opstap.interchange.registry import Column, FileCounts, FileData, FileSpec, ImportContext

from .models import Organisation, Sector
from .validators import clean_kbo

# File column -> Organisation field (org_ref is the ref).
ORGANISATION_COLUMNS = {
    "name": "name",
    "kbo": "kbo",
    "sector": "sector",
    "contact_name": "contact_name",
    "contact_email": "contact_email",
    "insurance_until": "insurance_until",
}
TEXT_FIELDS = {"name", "kbo", "sector", "contact_name", "contact_email"}


def _kbo(value: str) -> str:
    try:
        return clean_kbo(value)
    except ValidationError as exc:
        raise fields.CellError(" ".join(exc.messages)) from None


def _email(value: str) -> str:
    if len(value) > 254:
        raise fields.CellError(
            _("This text is too long: at most %(max)d characters.") % {"max": 254}
        )
    try:
        validate_email(value)
    except ValidationError:
        raise fields.CellError(_("This is not a valid e-mail address.")) from None
    return value


def _stored(column: str, value):
    """An empty cell is "no value": an empty text, or None for the date."""
    if value is None and column in TEXT_FIELDS:
        return ""
    return value


def load_organisations(ctx: ImportContext, data: FileData) -> FileCounts:
    """Validate organisations.csv, then create or update the centre's partners by org_ref."""
    existing = {o.ref: o for o in Organisation.objects.filter(centre=ctx.centre)}
    rows_by_ref = {}
    first_line: dict[str, int] = {}
    for row in data.rows:
        if not row.ok("org_ref"):
            continue
        ref = row["org_ref"]
        if ref in first_line:
            ctx.error(
                row,
                "org_ref",
                _("This reference is already used on line %(line)d of this file.")
                % {"line": first_line[ref]},
            )
            continue
        first_line[ref] = row.line
        rows_by_ref[ref] = row
    ctx.refs["organisation"] = {ref: org.pk for ref, org in existing.items()}
    ctx.refs["organisation"].update(
        {ref: existing[ref].pk if ref in existing else None for ref in rows_by_ref}
    )
    counts = FileCounts()
    if not ctx.writing:
        return counts
    new, changed = [], []
    for ref, row in rows_by_ref.items():
        values = {
            attribute: _stored(column, row[column])
            for column, attribute in ORGANISATION_COLUMNS.items()
            if column in data.columns
        }
        org = existing.get(ref)
        if org is None:
            new.append(bulk.build(Organisation, centre=ctx.centre, ref=ref, **values))
        elif any(getattr(org, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(org, name, value)
            changed.append(org)
    bulk.insert(Organisation, new, batch_size=500)
    update_fields = [ORGANISATION_COLUMNS[c] for c in data.columns if c in ORGANISATION_COLUMNS]
    if changed:
        Organisation.objects.bulk_update(changed, update_fields, batch_size=500)
    ctx.refs["organisation"].update({org.ref: org.pk for org in new})
    counts.created, counts.updated = len(new), len(changed)
    counts.unchanged = len(rows_by_ref) - len(new) - len(changed)
    return counts


def export_organisations(centre):
    for org in Organisation.objects.filter(centre=centre).order_by():
        yield {
            "org_ref": org.ref,
            "name": org.name,
            "kbo": org.kbo,
            "sector": org.sector,
            "contact_name": org.contact_name,
            "contact_email": org.contact_email,
            "insurance_until": org.insurance_until,
        }


ORGANISATIONS = FileSpec(
    filename="organisations.csv",
    columns=(
        Column("org_ref", required=True, parse=fields.ref),
        Column("name", required=True, parse=fields.text_max(200)),
        Column("kbo", parse=_kbo),
        Column("sector", parse=fields.choice(Sector.values)),
        Column("contact_name", parse=fields.text_max(150)),
        Column("contact_email", parse=_email),
        Column("insurance_until", parse=fields.date, format=fields.format_date),
    ),
    # Before the files that refer to an org_ref (placements, modules).
    order=40,
    load=load_organisations,
    export=export_organisations,
    sort_by=("org_ref",),
)
