from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from . import registry, selectors, services
from .forms import UploadForm
from .models import ImportStatus


@login_required
def upload(request: HttpRequest) -> HttpResponse:
    """Upload a folder-as-zip to check or import it; the list of recent runs below."""
    selectors.require_admin(request.user)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        run = services.import_run_create(
            actor=request.user,
            centre=request.centre,
            upload=form.cleaned_data["file"],
            dry_run=form.cleaned_data["mode"] == "check",
        )
        return redirect("interchange:run", pk=run.pk)
    return render(
        request,
        "interchange/upload.html",
        {
            "form": form,
            "runs": selectors.import_run_list_for(user=request.user),
            "specs": registry.all_specs(),
        },
    )


@login_required
def run_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The outcome of one run; while it runs, the status part polls itself (htmx)."""
    run = selectors.import_run_get_for(user=request.user, pk=pk)
    context = {"run": run, "can_import": run.dry_run and bool(run.stored_as)}
    context["can_import"] = context["can_import"] and run.status == ImportStatus.SUCCEEDED
    if request.headers.get("HX-Request"):
        return render(request, "interchange/_run_status.html", context)
    return render(request, "interchange/run_detail.html", context)


@login_required
@require_POST
def run_import(request: HttpRequest, pk: int) -> HttpResponse:
    """Import a file whose check found no error."""
    run = selectors.import_run_get_for(user=request.user, pk=pk)
    if not (run.dry_run and run.stored_as and run.status == ImportStatus.SUCCEEDED):
        return redirect("interchange:run", pk=run.pk)
    again = services.import_run_repeat(actor=request.user, run=run)
    return redirect("interchange:run", pk=again.pk)


@login_required
@require_POST
def export(request: HttpRequest) -> HttpResponse:
    """Download every file of the centre as one zip."""
    selectors.require_admin(request.user)
    content = services.centre_export_zip(actor=request.user, centre=request.centre)
    name = f"opstap-{request.centre.code}-{timezone.localdate():%Y-%m-%d}.zip"
    response = HttpResponse(content, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
