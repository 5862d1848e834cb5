from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from opstap.accounts.roles import Role
from opstap.clients import selectors as client_selectors
from opstap.clients.utils import form_errors_from
from opstap.clients.views import dossier_context

from . import selectors, services
from .forms import LadderPositionForm, TrajectoryEndForm, TrajectoryStartForm, TrajectoryTypeForm
from .ladder import ladder_picture
from .models import TrajectoryType


@login_required
def trajectories(request: HttpRequest, pk: int) -> HttpResponse:
    """The dossier's trajectories: the running and ended ones, and a form to start one."""
    client = client_selectors.client_get_for(user=request.user, pk=pk)
    form = TrajectoryStartForm(request.POST or None, centre=request.centre, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.trajectory_start(actor=request.user, client=client, **form.cleaned_data)
        except ValidationError as exc:
            form_errors_from(form, exc)
        else:
            messages.success(request, _("The trajectory was started."))
            return redirect("trajectories:list", pk)
    items = selectors.trajectory_rows_of(client)
    context = dossier_context(client, "trajectories")
    context.update(
        {
            "form": form,
            "running": [t for t in items if t.end_date is None],
            "ended": [t for t in items if t.end_date is not None],
        }
    )
    return render(request, "trajectories/trajectories.html", context)


@login_required
def trajectory_end(request: HttpRequest, pk: int, trajectory_pk: int) -> HttpResponse:
    client = client_selectors.client_get_for(user=request.user, pk=pk)
    trajectory = selectors.trajectory_get_for(client, trajectory_pk)
    if trajectory is None:
        raise Http404
    form = TrajectoryEndForm(request.POST or None, centre=request.centre)
    if request.method == "POST" and form.is_valid():
        try:
            services.trajectory_end(actor=request.user, trajectory=trajectory, **form.cleaned_data)
        except ValidationError as exc:
            form_errors_from(form, exc)
        else:
            messages.success(request, _("The trajectory was ended."))
            return redirect("trajectories:list", pk)
    context = dossier_context(client, "trajectories")
    context.update({"form": form, "trajectory": trajectory})
    return render(request, "trajectories/trajectory_end.html", context)


@login_required
def ladder(request: HttpRequest, pk: int) -> HttpResponse:
    """The activation ladder: the picture, the moves so far, and a form to set a new rung."""
    client = client_selectors.client_get_for(user=request.user, pk=pk)
    form = LadderPositionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.ladder_position_set(actor=request.user, client=client, **form.cleaned_data)
        except ValidationError as exc:
            form_errors_from(form, exc)
        else:
            messages.success(request, _("The ladder position was saved."))
            return redirect("trajectories:ladder", pk)
    history = selectors.ladder_positions_of(client)
    context = dossier_context(client, "ladder")
    current = next((p for p in history if p.since <= context["today"]), None)
    context.update(
        {
            "form": form,
            "history": history,
            "current": current,
            "picture": ladder_picture(current.rung if current else None),
        }
    )
    return render(request, "trajectories/ladder.html", context)


def _admin_required(request: HttpRequest) -> None:
    if not request.user.has_role(Role.ADMIN):
        raise Http404


@login_required
def type_list(request: HttpRequest) -> HttpResponse:
    """Administrators: the centre's trajectory types, and a form to add one."""
    _admin_required(request)
    types = selectors.trajectory_types_for(request.centre)
    form = TrajectoryTypeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.trajectory_type_save(
                actor=request.user, centre=request.centre, **form.cleaned_data
            )
        except ValidationError as exc:
            form_errors_from(form, exc)
        else:
            messages.success(request, _("The trajectory type was added."))
            return redirect("trajectories:types")
    return render(request, "trajectories/type_list.html", {"types": types, "form": form})


@login_required
def type_edit(request: HttpRequest, type_pk: int) -> HttpResponse:
    _admin_required(request)
    item = get_object_or_404(TrajectoryType, pk=type_pk, centre=request.centre)
    form = TrajectoryTypeForm(request.POST or None, instance=item)
    if request.method == "POST" and form.is_valid():
        fresh = TrajectoryType.objects.get(pk=item.pk)
        try:
            services.trajectory_type_save(
                actor=request.user, centre=request.centre, type=fresh, **form.cleaned_data
            )
        except ValidationError as exc:
            form_errors_from(form, exc)
        else:
            messages.success(request, _("The changes were saved."))
            return redirect("trajectories:types")
    return render(request, "trajectories/type_form.html", {"form": form, "item": item})
