"""Writing many new rows at once: COPY on PostgreSQL, bulk_create elsewhere.

An import of a centre writes tens of thousands of rows. Django's bulk_create prepares every value
through the field's generic path and builds INSERT statements; on PostgreSQL the loaders use
``COPY … FROM STDIN`` instead, with the primary keys taken from the table's sequence first so
that every object knows its pk afterwards, as after bulk_create. Values of plain fields go to
the database as they are (the driver adapts them); other fields (JSON, …) through the field's
own preparation; auto_now / auto_now_add timestamps are set as bulk_create would.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import connections, models, router
from django.db.models import QuerySet
from django.db.models.base import ModelState
from django.db.models.signals import post_init, pre_init
from django.utils import timezone

# Fields whose Python value the PostgreSQL driver writes exactly as Django would.
PLAIN = (
    models.AutoField,
    models.BigAutoField,
    models.SmallAutoField,
    models.IntegerField,  # and its Big/Small/Positive variants
    models.CharField,  # and Slug/Email
    models.TextField,
    models.BooleanField,
    models.DateField,  # not DateTimeField: Django makes naive datetimes aware in its zone
    models.DecimalField,
    models.TimeField,
    models.ForeignKey,
)


def _plain(field: models.Field) -> bool:
    return isinstance(field, PLAIN) and not isinstance(field, models.DateTimeField)


def _db_values(obj: models.Model, prepared: list, connection) -> list:
    """The object's values for `prepared` ((attname, field or None for a plain value)), as
    the driver is given them: a field's own preparation where it has one to do."""
    values = []
    for attname, field in prepared:
        value = getattr(obj, attname)
        if field is not None and value is not None:
            value = field.get_db_prep_save(value, connection)
        values.append(value)
    return values


# model -> [(field name, attname, target attname of a foreign key or None, default maker or
# None, the default when it is the same every time)]
_BLUEPRINTS: dict[type[models.Model], list] = {}


def _blueprint(model: type[models.Model]) -> list | None:
    """How `build` fills an instance of the model, or None where only __init__ will do."""
    if model in _BLUEPRINTS:
        return _BLUEPRINTS[model]
    meta = model._meta
    plan: list | None = []
    if meta.private_fields or meta.parents:
        plan = None  # generic relations, multi-table inheritance: __init__'s own work
    else:
        for f in meta.concrete_fields:
            target = None
            if f.is_relation:
                if not isinstance(f, models.ForeignKey) or f.one_to_one:
                    plan = None  # a one-to-one also fills the other side's cache
                    break
                target = f.target_field.attname
            # A callable default (or a foreign key's, which may be an object) is asked each
            # time; any other is the same value every time, as get_default gives it.
            varies = f.has_db_default() or (
                f.has_default() and (callable(f.default) or f.is_relation)
            )
            if varies:
                plan.append((f.name, f.attname, target, f.get_default, None))
            else:
                plan.append((f.name, f.attname, target, None, f.get_default()))
    _BLUEPRINTS[model] = plan
    return plan


def build(model: type[models.Model], /, **values) -> models.Model:
    """A new, unsaved instance, as `model(**values)` makes it, for the loaders' many rows.

    Model.__init__ takes a generic path through every field and descriptor (a third of an
    import's time, measured). Here each concrete field's attribute gets the value given for it
    (a foreign key by its object, which is kept as __init__ keeps it, or by its `…_id`) or the
    field's default. A model with init signals' receivers, generic relations, parents or a
    one-to-one field goes through __init__.
    """
    plan = _blueprint(model)
    if (
        plan is None
        or (pre_init.receivers and pre_init.has_listeners(model))
        or (post_init.receivers and post_init.has_listeners(model))
    ):
        return model(**values)
    obj = model.__new__(model)
    state = obj._state = ModelState()
    attrs = obj.__dict__
    for name, attname, target, make_default, default in plan:
        if target is not None and name in values:
            related = values.pop(name)
            attrs[attname] = None if related is None else getattr(related, target)
            state.fields_cache[name] = related
        elif attname in values:
            attrs[attname] = values.pop(attname)
        else:
            attrs[attname] = default if make_default is None else make_default()
    if values:
        raise TypeError(f"{model.__name__}() got unexpected keyword arguments: {sorted(values)}")
    return obj


def insert(model: type[models.Model], objs: Sequence[models.Model], *, batch_size: int = 1000):
    """Insert new objects; afterwards each has its pk, like bulk_create's result."""
    objs = list(objs)
    if not objs:
        return objs
    alias = router.db_for_write(model)
    connection = connections[alias]
    meta = model._meta
    pk = meta.pk
    # COPY with ids from the table's sequence: PostgreSQL and generated keys only.
    if connection.vendor != "postgresql" or not isinstance(pk, models.fields.AutoFieldMixin):
        return model.objects.using(alias).bulk_create(objs, batch_size=batch_size)
    fields = [f for f in meta.concrete_fields if f is not pk]
    now = timezone.now()
    stamps = [
        f for f in fields if isinstance(f, models.DateField) and (f.auto_now or f.auto_now_add)
    ]
    # The stamps are set below to an aware datetime, which the driver writes as it is.
    prepared = [(f.attname, None if _plain(f) or f in stamps else f) for f in fields]
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [meta.db_table, pk.column, len(objs)],
        )
        ids = [row[0] for row in cursor.fetchall()]
        columns = ", ".join(quote(f.column) for f in [pk, *fields])
        sql = f"COPY {quote(meta.db_table)} ({columns}) FROM STDIN"
        with cursor.cursor.copy(sql) as copy:
            for obj, new_id in zip(objs, ids, strict=True):
                for field in stamps:  # what pre_save(add=True) does in bulk_create
                    setattr(obj, field.attname, now)
                setattr(obj, pk.attname, new_id)
                copy.write_row([new_id, *_db_values(obj, prepared, connection)])
    for obj in objs:
        obj._state.adding = False
        obj._state.db = alias
    return objs


def create(model: type[models.Model], objs: Sequence[models.Model], *, batch_size: int = 1000):
    """`model.objects.bulk_create(objs)` for new rows, written by `insert` (COPY on PostgreSQL).

    The generator writes hundreds of thousands of rows this way. As bulk_create does, a foreign
    key given by its object takes that object's key now (the object may have been saved since
    it was given) and an unsaved one is refused. Rows that already have a key, and models whose
    manager changes bulk_create, go through bulk_create.
    """
    objs = list(objs)
    manager = model._default_manager
    if getattr(manager, "_queryset_class", QuerySet).bulk_create is not QuerySet.bulk_create or any(
        obj.pk is not None for obj in objs
    ):
        return manager.bulk_create(objs, batch_size=batch_size)
    for obj in objs:
        obj._prepare_related_fields_for_save(operation_name="bulk_create")
    return insert(model, objs, batch_size=batch_size)


def update(
    model: type[models.Model],
    objs: Sequence[models.Model],
    fields: Sequence[str],
    *,
    batch_size: int = 1000,
) -> int:
    """`model.objects.bulk_update(objs, fields)`: on PostgreSQL one UPDATE … FROM (VALUES …)
    per batch instead of a CASE with a branch per row for each field, which PostgreSQL works
    through row by row (and Django builds in Python). The number of rows updated."""
    objs = list(objs)
    alias = router.db_for_write(model)
    connection = connections[alias]
    if not objs:
        return 0
    if connection.vendor != "postgresql":
        return model._default_manager.using(alias).bulk_update(objs, fields, batch_size=batch_size)
    meta = model._meta
    targets = [meta.get_field(name) for name in fields]
    if any(not f.concrete or f.primary_key or f.many_to_many for f in targets):
        raise ValueError("bulk.update takes concrete fields other than the primary key.")
    quote = connection.ops.quote_name
    columns = [meta.pk, *targets]
    row_sql = "(" + ", ".join(f"%s::{f.db_type(connection)}" for f in columns) + ")"
    names = ", ".join(quote(f.column) for f in columns)
    assignments = ", ".join(f"{quote(f.column)} = v.{quote(f.column)}" for f in targets)
    table, pk_column = quote(meta.db_table), quote(meta.pk.column)
    prepared = [(f.attname, None if _plain(f) else f) for f in columns]
    updated = 0
    with connection.cursor() as cursor:
        for start in range(0, len(objs), batch_size):
            batch = objs[start : start + batch_size]
            params = []
            for obj in batch:
                obj._prepare_related_fields_for_save(operation_name="bulk_update", fields=targets)
                params.extend(_db_values(obj, prepared, connection))
            cursor.execute(
                f"UPDATE {table} SET {assignments} FROM (VALUES "
                + ", ".join([row_sql] * len(batch))
                + f") AS v({names}) WHERE {table}.{pk_column} = v.{pk_column}",
                params,
            )
            updated += cursor.rowcount
    return updated
