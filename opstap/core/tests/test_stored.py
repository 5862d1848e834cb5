"""Figures kept between reads while nothing they count changes (opstap.core.stored)."""

import datetime

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext

from opstap.clients.models import IncomeRight
from opstap.core.models import AuditEntry, KeptFigure
from opstap.core.stored import CACHE, stored
from opstap.core.tasks import forget_old_figures
from opstap.factories import ClientFactory, IncomeRightFactory, JournalNoteFactory

pytestmark = pytest.mark.django_db


class Counter:
    """A figure over the centre's income rights that says how often it was counted."""

    def __init__(self, centre):
        self.centre, self.times = centre, 0

    def __call__(self):
        self.times += 1
        return IncomeRight.objects.filter(centre=self.centre).count()


@pytest.fixture
def rights(centre):
    person = ClientFactory(centre=centre)
    IncomeRightFactory(client=person)
    return person


def test_a_kept_figure_costs_one_query(centre, rights):
    count = Counter(centre)
    assert stored(centre.pk, "rights", count) == 1
    with CaptureQueriesContext(connection) as queries:
        assert stored(centre.pk, "rights", count) == 1
    assert count.times == 1
    assert len(queries) == 1
    assert "core_datachange" in queries[0]["sql"]


def test_a_write_to_what_it_counts_counts_again(centre, rights):
    count = Counter(centre)
    stored(centre.pk, "rights", count)
    IncomeRightFactory(client=rights)
    assert stored(centre.pk, "rights", count) == 2
    assert count.times == 2
    IncomeRight.objects.filter(client=rights).delete()
    assert stored(centre.pk, "rights", count) == 0
    assert count.times == 3


def test_other_writes_leave_it_kept(centre, other_centre, rights):
    count = Counter(centre)
    stored(centre.pk, "rights", count)
    JournalNoteFactory(client=rights)  # a table the figure does not read
    IncomeRightFactory(client=ClientFactory(centre=other_centre))  # another centre's rights
    assert stored(centre.pk, "rights", count) == 1
    assert count.times == 1


def test_each_key_is_its_own_figure(centre, rights):
    count = Counter(centre)
    stored(centre.pk, "rights", count)
    stored(centre.pk, "rights in French", count)
    assert count.times == 2


def test_a_figure_reading_a_table_without_triggers_is_not_kept(centre, rights):
    count = Counter(centre)

    def with_audit():
        return count() + AuditEntry.objects.filter(centre=centre).count()

    stored(centre.pk, "with audit", with_audit)
    stored(centre.pk, "with audit", with_audit)
    assert count.times == 2


def test_a_figure_counted_from_a_kept_one_depends_on_its_tables(centre, rights):
    inner = Counter(centre)
    stored(centre.pk, "rights", inner)  # kept: the outer figure will find it without SQL

    def outer():  # reads a table of its own too, so it is kept
        return stored(centre.pk, "rights", inner) * 10 + rights.journal.count()

    assert stored(centre.pk, "outer", outer) == 10
    assert stored(centre.pk, "outer", outer) == 10  # kept, although it read a kept figure
    assert inner.times == 1
    IncomeRightFactory(client=rights)
    assert stored(centre.pk, "outer", outer) == 20


def test_switched_off_it_counts_every_time(centre, rights, settings):
    settings.STORED_FIGURES = False
    count = Counter(centre)
    stored(centre.pk, "rights", count)
    stored(centre.pk, "rights", count)
    assert count.times == 2


def another_process():
    """What a process that has kept nothing yet sees: the cache of this one emptied."""
    caches[CACHE].clear()


def test_a_figure_counted_in_one_process_is_taken_by_another(centre, rights):
    count = Counter(centre)
    assert stored(centre.pk, "rights", count) == 1
    another_process()
    with CaptureQueriesContext(connection) as queries:
        assert stored(centre.pk, "rights", count) == 1
    assert count.times == 1
    assert len(queries) == 2  # the centre's values, then the shared copy
    with CaptureQueriesContext(connection) as queries:
        assert stored(centre.pk, "rights", count) == 1  # now kept in this process too
    assert len(queries) == 1


def test_a_shared_figure_is_not_taken_after_a_write(centre, rights):
    count = Counter(centre)
    stored(centre.pk, "rights", count)
    IncomeRightFactory(client=rights)
    another_process()
    assert stored(centre.pk, "rights", count) == 2
    assert count.times == 2
    another_process()
    assert stored(centre.pk, "rights", count) == 2  # the recount is shared in its turn
    assert count.times == 2


def test_a_process_with_an_older_copy_takes_the_newer_one(centre, rights):
    count = Counter(centre)
    stored(centre.pk, "rights", count)
    older = dict(caches[CACHE]._cache)  # this process's copy, before the write
    IncomeRightFactory(client=rights)
    another_process()
    assert stored(centre.pk, "rights", count) == 2  # counted by the other process
    caches[CACHE].clear()
    caches[CACHE]._cache.update(older)  # back in the first process, with its older copy
    assert stored(centre.pk, "rights", count) == 2
    assert count.times == 2


def test_each_centre_and_key_has_its_own_shared_figure(centre, other_centre, rights):
    IncomeRightFactory(client=ClientFactory(centre=other_centre))
    IncomeRightFactory(client=ClientFactory(centre=other_centre))
    here, there = Counter(centre), Counter(other_centre)
    assert stored(centre.pk, "rights", here) == 1
    assert stored(other_centre.pk, "rights", there) == 2
    assert stored(centre.pk, "rights twice", lambda: here() * 2) == 2
    another_process()
    assert stored(centre.pk, "rights", here) == 1
    assert stored(other_centre.pk, "rights", there) == 2
    assert stored(centre.pk, "rights twice", lambda: here() * 2) == 2
    assert (here.times, there.times) == (2, 1)
    assert KeptFigure.objects.count() == 3


def test_not_shared_each_process_counts_for_itself(centre, rights, settings):
    settings.SHARED_FIGURES = False
    count = Counter(centre)
    stored(centre.pk, "rights", count)
    another_process()
    stored(centre.pk, "rights", count)
    assert count.times == 2
    assert not KeptFigure.objects.exists()


def test_shared_figures_of_earlier_days_are_forgotten_nightly(centre, rights):
    stored(centre.pk, "rights today", Counter(centre))
    stored(centre.pk, "rights yesterday", Counter(centre))
    yesterday = datetime.date.today() - datetime.timedelta(days=1)
    KeptFigure.objects.filter(pk=KeptFigure.objects.order_by("pk").last().pk).update(
        made_on=yesterday
    )
    assert forget_old_figures.func() == 1
    assert KeptFigure.objects.get().made_on == datetime.date.today()
