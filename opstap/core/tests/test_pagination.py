"""SizedPaginator: Django's pages, with the list's size read along with the page."""

import pytest
from django.core.paginator import Paginator
from django.db import connection
from django.test.utils import CaptureQueriesContext

from opstap.clients.models import Client
from opstap.core.pagination import SizedPaginator
from opstap.factories import ClientFactory


def _pages(paginator, number):
    page = paginator.get_page(number)
    return (
        page.number,
        [c.pk for c in page],
        paginator.count,
        paginator.num_pages,
        page.has_next(),
        page.start_index(),
    )


@pytest.fixture
def clients(centre):
    ClientFactory.create_batch(23, centre=centre)
    return Client.objects.filter(centre=centre).order_by("last_name", "first_name", "id")


@pytest.mark.parametrize("number", [1, 2, 3, "3", 4, 99, 0, -1, "x", None, "", "2.5", 2.0, 2.5])
def test_gives_the_page_django_gives(clients, number):
    assert _pages(SizedPaginator(clients, 10), number) == _pages(Paginator(clients, 10), number)


def test_reads_a_page_and_the_size_in_one_query(clients):
    with CaptureQueriesContext(connection) as one:
        page = SizedPaginator(clients, 10).get_page(2)
        assert (page.paginator.count, page.paginator.num_pages, len(page)) == (23, 3, 10)
    assert len(one) == 1
    first_ten = [c.pk for c in clients[:10]]
    with CaptureQueriesContext(connection) as first:
        assert [c.pk for c in SizedPaginator(clients, 10).get_page(None)] == first_ten
    assert len(first) == 1  # no page asked: the first, as Django gives it
    # Past the end no row carries the size: counted, then the last page read.
    with CaptureQueriesContext(connection) as three:
        page = SizedPaginator(clients, 10).get_page(9)
        assert (page.number, len(list(page))) == (3, 3)
    assert len(three) == 3


def test_an_empty_list_has_its_one_empty_page(centre):
    paginator = SizedPaginator(Client.objects.filter(centre=centre).order_by("id"), 10)
    page = paginator.get_page(1)
    assert (page.number, list(page), paginator.count, paginator.num_pages) == (1, [], 0, 1)
