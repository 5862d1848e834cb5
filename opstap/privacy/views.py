from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from opstap.accounts.roles import Role
from opstap.clients.models import Client
from opstap.clients.selectors import client_queryset_for
from opstap.core.audit import diff, log_action, snapshot

from . import services
from .forms import RetentionPolicyForm
from .models import RetentionPolicy
from .selectors import retention_candidates, retention_cutoff, retention_policy_for

SHOWN_CANDIDATES = 200


def _client_for_export(user, pk: int) -> Client:
    """Heads of service (for their teams' dossiers) and the centre's administrators."""
    if user.has_role(Role.ADMIN):
        qs = Client.objects.filter(centre_id=user.centre_id)
    elif user.has_role(Role.HEAD):
        qs = client_queryset_for(user)
    else:
        raise Http404
    client = qs.select_related("centre").filter(pk=pk).first()
    if client is None:
        raise Http404
    return client


@login_required
def client_export(request: HttpRequest, pk: int) -> HttpResponse:
    """Everything stored about one client, as a ZIP (GDPR right of access, art. 15)."""
    client = _client_for_export(request.user, pk)
    data = services.client_export(actor=request.user, client=client)
    response = HttpResponse(data, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="opstap-{client.ref}.zip"'
    return response


@login_required
def retention(request: HttpRequest) -> HttpResponse:
    """Administrator: the retention period, and the dossiers the next run would anonymise."""
    if not request.user.has_role(Role.ADMIN) or request.centre is None:
        raise Http404
    policy = retention_policy_for(request.centre)
    form = RetentionPolicyForm(request.POST or None, instance=policy)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            old = snapshot(RetentionPolicy.objects.get(pk=policy.pk), ["years", "enabled"])
            saved = form.save()
            log_action(
                actor=request.user,
                action="privacy.retention.updated",
                obj=saved,
                centre=request.centre,
                changes=diff(old, snapshot(saved, ["years", "enabled"])),
            )
        messages.success(request, _("The retention policy was saved."))
        return redirect("privacy:retention")
    candidates = retention_candidates(request.centre)
    context = {
        "form": form,
        "policy": policy,
        "cutoff": retention_cutoff(policy.years, datetime.date.today()),
        "count": candidates.count(),
        "candidates": candidates.select_related("office")[:SHOWN_CANDIDATES],
        "shown": SHOWN_CANDIDATES,
    }
    return render(request, "privacy/retention.html", context)
