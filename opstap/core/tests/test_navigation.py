"""The main navigation: the entries of the user's roles, in the active language."""

from django.utils import translation

from opstap.core import navigation
from opstap.core.navigation import items_for


def test_each_role_set_and_language_gets_its_own_entries(alice, maria, adam):
    with translation.override("nl"):
        dutch = items_for(alice, "/clients/")
    with translation.override("fr"):
        french = items_for(alice, "/clients/")
        managers = items_for(maria, "/")
        admins = items_for(adam, "/")
    assert [item["url"] for item in dutch] == [item["url"] for item in french]
    assert [item["label"] for item in dutch] != [item["label"] for item in french]
    assert "/clients/" in [item["url"] for item in dutch]
    assert "/clients/" not in [item["url"] for item in managers]
    assert [item["url"] for item in admins] != [item["url"] for item in managers]
    with translation.override("nl"):
        assert items_for(alice, "/clients/") == dutch


def test_the_current_page_is_marked(alice):
    with translation.override("en"):
        on_start = items_for(alice, "/")
        on_clients = items_for(alice, "/clients/12/")
    assert [i["url"] for i in on_start if i["active"]] == ["/"]
    assert [i["url"] for i in on_clients if i["active"]] == ["/clients/"]


def test_an_entry_registered_later_shows(alice, monkeypatch):
    monkeypatch.setattr(navigation, "ITEMS", list(navigation.ITEMS))
    with translation.override("en"):
        before = items_for(alice, "/")
        navigation.register("Extra", "core:notifications", {"social_worker"}, 99)
        after = items_for(alice, "/")
    navigation._ENTRIES.clear()
    assert len(after) == len(before) + 1 and after[-1]["label"] == "Extra"
