"""Nothing lost: a crash inside an import changes nothing; export, import, export is identical."""

from __future__ import annotations

import dataclasses

import pytest

from opstap.clients.models import Client
from opstap.core.services import centre_create
from opstap.demo.generator import generate_centre
from opstap.interchange import registry
from opstap.interchange.engine import export_files, import_files

pytestmark = pytest.mark.django_db


def _counts():
    from django.apps import apps

    return {
        m._meta.label: m._default_manager.count()
        for m in apps.get_models()
        if m._meta.app_label not in {"core", "sessions", "contenttypes", "auth", "admin"}
    }


def test_a_crash_in_the_middle_of_an_import_leaves_the_database_unchanged(monkeypatch):
    source = generate_centre("source", "OCMW Bron", clients=8, seed=3).centre
    files = export_files(centre=source)
    target = centre_create(code="target", name="OCMW Doel")
    before = _counts()
    specs = registry.all_specs()
    victim = specs[len(specs) // 2]  # a file loaded after others were written

    def boom(ctx, data):
        raise RuntimeError("disk full")

    crashing = [dataclasses.replace(s, load=boom) if s is victim else s for s in specs]
    monkeypatch.setattr(registry, "all_specs", lambda: crashing)
    with pytest.raises(RuntimeError):
        import_files(files=files, centre=target)
    assert _counts() == before
    assert not Client.objects.filter(centre=target).exists()


def test_export_import_export_round_trip_of_a_whole_centre():
    source = generate_centre("source", "OCMW Bron", clients=15, seed=5).centre
    first = export_files(centre=source)
    target = centre_create(code="target", name="OCMW Doel")
    result = import_files(files=first, centre=target)
    assert result.ok, [str(p.message) for p in result.errors[:5]]
    second = export_files(centre=target)
    assert set(second) == set(first)
    differing = [name for name in first if first[name] != second[name]]
    assert not differing, differing
