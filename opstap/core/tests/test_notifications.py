import pytest
from django.urls import reverse

from opstap.core.models import Notification
from opstap.core.notifications import mark_read, notify, unread_count, unread_for

pytestmark = pytest.mark.django_db


def test_notify_once_per_key(alice):
    first = notify(user=alice, kind="gpmi", message="GPMI overdue", key="gpmi:1:2026-01")
    again = notify(user=alice, kind="gpmi", message="GPMI overdue", key="gpmi:1:2026-01")
    assert first is not None and again is None
    assert Notification.objects.count() == 1


def test_page_lists_and_marks_read(client, alice, bob):
    notify(user=alice, kind="x", message="Evaluatie te laat", key="k1", url="/clients/")
    notify(user=bob, kind="x", message="Bob's own", key="k1")
    client.force_login(alice)
    assert "badge" in client.get(reverse("core:home")).content.decode()
    body = client.get(reverse("core:notifications")).content.decode()
    assert "Evaluatie te laat" in body and "Bob&#x27;s own" not in body
    assert not unread_for(alice).exists()
    assert unread_for(bob).exists()


def test_unread_count_is_the_count_of_unread_notifications(alice, bob):
    assert unread_count(alice) == 0
    for n in range(3):
        notify(user=alice, kind="x", message=f"Message {n}", key=f"k{n}", email=False)
    notify(user=bob, kind="x", message="Bob's own", key="k0", email=False)
    assert unread_count(alice) == unread_for(alice).count() == 3
    assert unread_count(bob) == 1
    first = Notification.objects.filter(user=alice).order_by("pk").first()
    mark_read(user=alice, pk=first.pk)
    assert unread_count(alice) == 2
    mark_read(user=alice)
    assert unread_count(alice) == 0 and unread_count(bob) == 1


def test_the_header_shows_the_unread_count(client, alice):
    for n in range(2):
        notify(user=alice, kind="x", message=f"Message {n}", key=f"k{n}", email=False)
    client.force_login(alice)
    body = client.get(reverse("core:home")).content.decode()
    assert '<span class="badge warn" aria-label="2 unread">2</span>' in body
