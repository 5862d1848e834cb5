import pytest
from django.urls import reverse

from opstap.core.models import Notification
from opstap.core.notifications import notify, unread_for

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
