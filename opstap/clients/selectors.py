"""Reads of client data. Every query of a dossier goes through here, with the asking user."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404

from opstap.accounts.roles import CASEWORK_ROLES, Role
from opstap.core.audit import log_action
from opstap.core.dossier import client_rows, shared_read
from opstap.core.idlist import IdIn
from opstap.core.prepared import KeysRead, PreparedRead

from .models import Appointment, CareRole, CareTeamMember, Client, IncomeRight, JournalNote


@dataclass(frozen=True)
class CaseloadFilter:
    """A filter another app adds to the caseload: form fields and how they narrow the list."""

    key: str
    fields: Callable  # fields(centre) -> {name: forms.Field}, added to CaseloadFilterForm
    apply: Callable  # apply(queryset, cleaned_data) -> queryset


CASELOAD_FILTERS: list[CaseloadFilter] = []


def add_caseload_filter(caseload_filter: CaseloadFilter) -> None:
    if not any(f.key == caseload_filter.key for f in CASELOAD_FILTERS):
        CASELOAD_FILTERS.append(caseload_filter)


def _active_membership(day: datetime.date) -> Q:
    return Q(start_date__lte=day) & (Q(end_date__isnull=True) | Q(end_date__gte=day))


TEAM_IDS_CACHE = "_opstap_team_member_ids"


def team_member_ids(user) -> frozenset[int]:
    """The user and everyone in the user's teams; read once per user object (one request).

    A change to the user's teams through `user.teams` forgets it (see forget_team_members).
    """
    cached = user.__dict__.get(TEAM_IDS_CACHE)
    if cached is None:
        memberships = user.teams.through.objects
        colleagues = memberships.filter(
            team_id__in=memberships.filter(user_id=user.pk).values("team_id")
        ).values_list("user_id", flat=True)
        cached = user.__dict__[TEAM_IDS_CACHE] = frozenset({user.pk, *colleagues})
    return cached


def forget_team_members(sender, instance, **kwargs) -> None:
    instance.__dict__.pop(TEAM_IDS_CACHE, None)


def _does_casework(user) -> bool:
    """A signed-in worker of a centre in a casework role: who may open dossiers at all."""
    return bool(
        user.is_authenticated and user.centre_id is not None and user.role_set & CASEWORK_ROLES
    )


def client_queryset_for(user, *, day: datetime.date | None = None) -> QuerySet[Client]:
    """The clients this user may open: through the care team, or their team for a head."""
    if not _does_casework(user):
        return Client.objects.none()
    day = day or datetime.date.today()
    carers = Q(user_id=user.pk)
    if user.has_role(Role.HEAD):
        # The head and everyone in the head's teams, read first as a short list of ids: with a
        # subquery (or an OR of "me" and "my colleagues") PostgreSQL cannot tell how few they
        # are and scanned every membership of every centre (70 ms at 250,000 clients); with
        # the ids it walks the memberships' user index.
        carers = Q(user_id__in=team_member_ids(user))
    return _cared_for(carers, day, user.centre_id)


def _checked_per_client(centre_id: int) -> QuerySet[Client]:
    """The centre's clients, for a filter on memberships to narrow down.

    A worker's or a team's clients are all in its centre, which PostgreSQL cannot know: it
    took a team's thousand memberships (or, after some ANALYZE samples, a worker's hundred)
    for a few dozen clients of the centre and read all 20,000 clients of the centre by its
    index to join them (5 ms for a count; 4.7 ms for a worker's count and again for the page,
    against 0.5). Compared as `centre_id + 0`, the centre is checked on each client the
    memberships lead to.
    """
    return checked_per_row(Client.objects.all(), centre_id, field="centre_id")


def checked_per_row(queryset: QuerySet, centre_id: int, *, field: str = "client__centre_id"):
    """The rows of `queryset` in the centre, the centre checked on each row `field` leads to.

    For rows found by another index (a team's memberships, by their workers), whose centre is
    known to be the right one but must still be checked: against the centre's own index
    PostgreSQL joins every client of the centre (see _checked_per_client).
    """
    return queryset.alias(tenant=F(field) + 0).filter(tenant=centre_id)


def _cared_for(carers: Q | IdIn, day: datetime.date, centre_id: int) -> QuerySet[Client]:
    # One IN over the memberships, not EXISTS(...) OR EXISTS(...): PostgreSQL cannot turn an
    # OR of subqueries into a join and ran them per client (a team count took 600 ms at 40,000).
    visible = CareTeamMember.objects.filter(_active_membership(day), carers).values("client_id")
    return _checked_per_client(centre_id).filter(pk__in=visible)


class CaredForRead:
    """A read over the clients a user may open, whose statement is built once per process.

    `build(clients, user_id, centre_id, *args)` narrows `clients`, the user's
    `client_queryset_for`; the arguments after the user are of `kinds` (see PreparedRead).
    A casework user's clients are those of the user's care teams; a head's, those of the care
    teams of anyone in the head's teams, whose ids are one list parameter (one statement for
    a team of any size, on PostgreSQL).
    """

    def __init__(self, build, *, kinds: tuple[type, ...] = ()):
        self.build = build
        self.prepared = PreparedRead(
            lambda user_id, day, centre_id, *args: build(
                _cared_for(Q(user_id=user_id), day, centre_id), user_id, centre_id, *args
            ),
            kinds=(int, datetime.date, int, *kinds),
        )
        self.prepared_team = PreparedRead(
            lambda user_id, team_ids, day, centre_id, *args: build(
                _cared_for(IdIn("user_id", team_ids), day, centre_id), user_id, centre_id, *args
            ),
            kinds=(int, list, datetime.date, int, *kinds),
        )

    def list(self, user, *args) -> list:
        if not _does_casework(user):
            return list(self.build(client_queryset_for(user), user.pk, user.centre_id, *args))
        today = datetime.date.today()
        if user.has_role(Role.HEAD):  # as client_queryset_for: the head's teams' members
            team = sorted(team_member_ids(user))
            return self.prepared_team.list(user.pk, team, today, user.centre_id, *args)
        return self.prepared.list(user.pk, today, user.centre_id, *args)

    def first(self, user, *args):
        rows = self.list(user, *args)
        return rows[0] if rows else None


_DOSSIER = CaredForRead(
    lambda clients, _user_id, _centre_id, pk: (
        clients.select_related("office", "centre").filter(pk=pk).order_by("pk")[:1]
    ),
    kinds=(int,),
)
_BIGINT = 2**63


def client_get_for(*, user, pk: int, audit: bool = True) -> Client:
    """One dossier the user may open, or 404 (missing and forbidden look the same)."""
    if not -_BIGINT <= pk < _BIGINT:  # no key is that large
        raise Http404
    client = _DOSSIER.first(user, pk)
    if client is None:
        raise Http404
    if audit:
        log_action(actor=user, action="client.viewed", obj=client, client_id=client.pk)
    return client


def reference_client_ids(user, day: datetime.date | None = None) -> list[int]:
    """The dossiers the user is the current reference worker of, as a short list of ids.

    An active reference worker is in the client's care team, so may open the dossier
    (`client_queryset_for`). The start page reads the list once and its cards filter on it:
    with the access subqueries nested in each card's query PostgreSQL spent more time
    planning (3–8 ms a query at 250,000 clients) than running them.
    """
    day = day or datetime.date.today()
    if not _does_casework(user):
        return []
    return sorted(_REFERENCE_IDS.list(user.pk, day, user.centre_id))


_REFERENCE_IDS = PreparedRead(
    lambda user_id, day, centre_id: (
        checked_per_row(
            CareTeamMember.objects.filter(
                _active_membership(day), user_id=user_id, role=CareRole.REFERENCE
            ),
            centre_id,
        )
        .order_by()
        .values_list("client_id", flat=True)
    ),
    kinds=(int, datetime.date, int),
)


def caseload_for(
    user,
    *,
    search: str = "",
    office_id: int | None = None,
    right_active: bool | None = None,
    care_role: str = "",
    scope: str = "mine",
    extra: dict | None = None,
    facts: bool = True,
) -> QuerySet[Client]:
    """The caseload list: searchable, filterable, with what the list shows prefetched (or,
    with `facts=False`, to be added to one page by `with_caseload_facts`)."""
    today = datetime.date.today()
    if scope == "team" and user.has_role(Role.HEAD):
        qs = client_queryset_for(user)
    elif user.role_set & CASEWORK_ROLES:
        qs = _own_clients(user.pk, user.centre_id, today)
    else:
        qs = Client.objects.none()
    if search:
        qs = qs.filter(_search_q(search))
    if office_id:
        qs = qs.filter(office_id=office_id)
    active_right = _active_rights(today).filter(client=OuterRef("pk"))
    if right_active is True:
        qs = qs.filter(Exists(active_right))
    elif right_active is False:
        qs = qs.exclude(Exists(active_right))
    if care_role:
        qs = qs.filter(
            Exists(
                CareTeamMember.objects.filter(
                    _active_membership(today), client=OuterRef("pk"), user=user, role=care_role
                )
            )
        )
    for caseload_filter in CASELOAD_FILTERS:
        qs = caseload_filter.apply(qs, extra or {})
    qs = qs.select_related("office")
    if not facts:
        return qs
    return qs.prefetch_related(
        Prefetch("rights", queryset=_active_rights(today), to_attr="active_rights"),
        Prefetch("care_team", queryset=_reference_members(today), to_attr="reference_workers"),
    )


def _own_clients(user_id: int, centre_id: int, day: datetime.date) -> QuerySet[Client]:
    """The clients of the centre in whose care team the user is on `day`."""
    return _checked_per_client(centre_id).filter(
        Exists(
            CareTeamMember.objects.filter(
                _active_membership(day), client=OuterRef("pk"), user_id=user_id
            )
        )
    )


def _active_rights(day: datetime.date) -> QuerySet[IncomeRight]:
    return IncomeRight.objects.filter(
        Q(start_date__lte=day), Q(end_date__isnull=True) | Q(end_date__gte=day)
    )


def _reference_members(day: datetime.date) -> QuerySet[CareTeamMember]:
    return CareTeamMember.objects.filter(
        _active_membership(day), role=CareRole.REFERENCE
    ).select_related("user")


# A caseload page's income rights and reference workers: the prefetches above, with their
# statements built once (25 places: the page's size).
CASELOAD_PAGE = 25
_PAGE_RIGHTS = KeysRead(
    lambda ids, day: _active_rights(day).filter(client_id__in=ids),
    size=CASELOAD_PAGE,
    kinds=(datetime.date,),
)
_PAGE_REFERENCES = KeysRead(
    lambda ids, day: _reference_members(day).filter(client_id__in=ids),
    size=CASELOAD_PAGE,
    kinds=(datetime.date,),
)


def with_caseload_facts(clients: list[Client]) -> list[Client]:
    """Give each client `active_rights` and `reference_workers`, as caseload_for's prefetch."""
    today = datetime.date.today()
    keys = [c.pk for c in clients]
    rights, members = defaultdict(list), defaultdict(list)
    for right in _PAGE_RIGHTS.list(keys, today):
        rights[right.client_id].append(right)
    for member in _PAGE_REFERENCES.list(keys, today):
        members[member.client_id].append(member)
    for c in clients:
        c.active_rights, c.reference_workers = rights[c.pk], members[c.pk]
    return clients


# The caseload a worker opens all day, with nothing filtered or sorted: its size and first
# page by name, with their statements built once (as caseload_for and the page's slice).
NAME_ORDER = ("last_name", "first_name", "id")
_OWN_COUNT = PreparedRead(
    lambda user_id, centre_id, day: (
        _own_clients(user_id, centre_id, day).order_by().values("centre_id").annotate(n=Count("pk"))
    ),
    kinds=(int, int, datetime.date),
)
_OWN_FIRST_PAGE = PreparedRead(
    lambda user_id, centre_id, day: (
        _own_clients(user_id, centre_id, day)
        .select_related("office")
        .order_by(*NAME_ORDER)[:CASELOAD_PAGE]
    ),
    kinds=(int, int, datetime.date),
)


def own_caseload_count(user) -> int:
    """How many clients `caseload_for(user)` lists with no filter (one worker's own)."""
    rows = _OWN_COUNT.list(user.pk, user.centre_id, datetime.date.today())
    return rows[0]["n"] if rows else 0


def own_caseload_first_page(user) -> list[Client]:
    """The first page of `caseload_for(user, facts=False)` by name, with no filter."""
    return _OWN_FIRST_PAGE.list(user.pk, user.centre_id, datetime.date.today())


def _search_q(search: str) -> Q:
    q = Q()
    for word in search.split():
        digits = "".join(ch for ch in word if ch.isdigit())
        term = Q(last_name__icontains=word) | Q(first_name__icontains=word) | Q(ref__iexact=word)
        if digits and len(digits) >= 4:
            term |= Q(insz__startswith=digits)
        q &= term
    return q


_RIGHTS = PreparedRead(
    lambda client_id: IncomeRight.objects.filter(client_id=client_id).order_by("-start_date")
)
_CARE_TEAM = PreparedRead(
    lambda client_id: (
        CareTeamMember.objects.filter(client_id=client_id)
        .select_related("user")
        .order_by("role", "start_date", "id")
    )
)


def rights_of(client: Client) -> list[IncomeRight]:
    """The client's income rights, newest first (read once per request)."""
    return shared_read(client, "rights", lambda: client_rows(_RIGHTS, client))


def active_right_for(client: Client, day: datetime.date | None = None) -> IncomeRight | None:
    day = day or datetime.date.today()
    return next((r for r in rights_of(client) if r.active_on(day)), None)


def care_team_for(client: Client) -> QuerySet[CareTeamMember]:
    return client.care_team.select_related("user").order_by("end_date", "role", "start_date")


def care_team_members(client: Client) -> list[CareTeamMember]:
    """Everyone who is or was on the client's care team, with the user (read once per request)."""
    return shared_read(client, "care_team", lambda: client_rows(_CARE_TEAM, client))


def care_team_listed(client: Client) -> list[CareTeamMember]:
    """The care team as its page lists it: ended memberships by end date, then current ones."""
    return sorted(
        care_team_members(client),
        key=lambda m: (m.end_date is None, m.end_date or datetime.date.min, m.role, m.start_date),
    )


def current_care_team(client: Client, day: datetime.date | None = None) -> list[CareTeamMember]:
    day = day or datetime.date.today()
    return [m for m in care_team_members(client) if m.active_on(day)]


def is_current_member(client: Client, user, role: str | None = None) -> bool:
    """Whether the user is on the client's care team today (in that role, when one is given)."""
    return any(
        m.user_id == user.pk and (role is None or m.role == role) for m in current_care_team(client)
    )


def reference_worker_for(client: Client):
    member = next((m for m in current_care_team(client) if m.role == CareRole.REFERENCE), None)
    return member.user if member else None


_JOURNAL_ALL = PreparedRead(
    lambda client_id: JournalNote.objects.filter(client_id=client_id).select_related("author")
)
_JOURNAL_READABLE = PreparedRead(
    lambda client_id, user_id: (
        JournalNote.objects.filter(client_id=client_id)
        .select_related("author")
        .filter(Q(restricted=False) | Q(author_id=user_id))
    ),
    kinds=(int, int),
)


def journal_rows_of(client: Client, user) -> list[JournalNote]:
    """Notes this user may read: restricted ones only for the author and the case manager."""
    if is_current_member(client, user, CareRole.CASE_MANAGER):
        return client_rows(_JOURNAL_ALL, client)
    return client_rows(_JOURNAL_READABLE, client, user.pk)


_APPOINTMENTS = PreparedRead(
    lambda client_id: Appointment.objects.filter(client_id=client_id).select_related("worker")
)


def appointment_rows_of(client: Client) -> list[Appointment]:
    """The client's appointments in the model's order, its statement built once (timeline)."""
    return client_rows(_APPOINTMENTS, client)


def appointments_for(client: Client) -> QuerySet[Appointment]:
    return client.appointments.select_related("worker").order_by("-starts_at")


def upcoming_appointments_for_worker(user, *, days: int = 14) -> QuerySet[Appointment]:
    from django.utils import timezone

    now = timezone.now()
    return (
        Appointment.objects.filter(
            worker=user,
            cancelled=False,
            starts_at__gte=now - datetime.timedelta(hours=2),
            starts_at__lte=now + datetime.timedelta(days=days),
            client__in=client_queryset_for(user),
        )
        .select_related("client")
        .order_by("starts_at")
    )


def possible_duplicates(*, centre, last_name: str, first_name: str, birth_date, exclude_pk=None):
    qs = Client.objects.filter(
        centre=centre,
        last_name__iexact=last_name.strip(),
        first_name__iexact=first_name.strip(),
        birth_date=birth_date,
    )
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    return qs
