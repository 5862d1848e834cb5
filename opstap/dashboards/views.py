from __future__ import annotations

import datetime
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from opstap.clients.selectors import client_queryset_for
from opstap.clients.utils import form_errors_from
from opstap.documents.pdf import document_language, pdf_response, render_pdf
from opstap.reports.charts import bar_chart
from opstap.reports.exports import to_csv

from . import figures, team
from .access import (
    YEARLY_ROLES,
    can_list_clients,
    can_see_flow,
    can_see_key_figures,
    head_required,
)
from .analytics import RUNG_KEYS, flow_for, rung_label
from .charts import flow_chart
from .forms import FlowFilterForm, ReassignForm, YearForm
from .services import reference_reassign
from .yearly import yearly_report, yearly_xlsx


def _flow_required(request: HttpRequest) -> None:
    if not can_see_flow(request.user):
        raise Http404


# --- key figures ---------------------------------------------------------------------------------


@login_required
def key_figures_view(request: HttpRequest) -> HttpResponse:
    """The start page's key figures: the section alone when the start page asks for it,
    a page of its own otherwise (a browser without scripts follows the link)."""
    from .keyfigures import key_figures

    if not can_see_key_figures(request.user):
        raise Http404
    context = {"key_figures": key_figures(request.centre, request.user)}
    if request.headers.get("HX-Request"):
        response = render(request, "dashboards/_key_figures.html", context)
    else:
        response = render(request, "dashboards/key_figures.html", context)
    patch_vary_headers(response, ["HX-Request"])
    return response


# --- flow analytics ------------------------------------------------------------------------------


def _flow_tables(flow, user) -> dict:
    """Every figure of the flow page as rows (for the page and the CSV), with links."""
    params = flow.filters.as_params()

    def link(cell: str, label: str, ids) -> str | None:
        return figures.figure_link(
            user, figure="flow", params=params, cell=cell, label=label, ids=ids
        )

    cells = flow.transitions["cells"]
    transitions = []
    for a in RUNG_KEYS:
        row = {"key": a, "from": rung_label(a), "cells": []}
        for b in RUNG_KEYS:
            ids = cells.get((a, b), set())
            label = _("%(a)s → %(b)s") % {"a": rung_label(a), "b": rung_label(b)}
            row["cells"].append({"n": len(ids), "link": link(f"t:{a}>{b}", label, ids)})
        transitions.append(row)
    moves = [
        {
            "key": key,
            "label": label,
            "n": len(flow.transitions["moves"].get(key, ())),
            "link": link(f"move:{key}", label, flow.transitions["moves"].get(key, set())),
        }
        for key, label in (("up", _("Up")), ("same", _("Same rung")), ("down", _("Down")))
    ]
    durations = [
        {
            **row,
            "link": link(f"rung:{row['rung']}", row["label"], row["ids"]),
            "still_link": link(f"still:{row['rung']}", row["label"], row["still_ids"]),
        }
        for row in flow.durations["rows"]
    ]
    act = flow.activation
    buckets = [
        {**row, "link": link(f"bucket:{row['key']}", row["label"], row["ids"])}
        for row in act["buckets"]
    ]
    offices = [
        {**row, "link": link(f"office:{row['office']}", row["office"], row["ids"])}
        for row in act["by_office"]
    ]
    intake = {
        **act["intake"],
        "link": link("intake", _("Still in intake after 4 months"), act["intake"]["ids"]),
    }
    return {
        "headings": [rung_label(b) for b in RUNG_KEYS],
        "transitions": transitions,
        "moves": moves,
        "durations": durations,
        "buckets": buckets,
        "offices": offices,
        "intake": intake,
        "cohort_link": link("cohort", _("Cohort"), act["cohort_ids"]),
        "activated_link": link("activated", _("Activated within 4 months"), act["activated_ids"]),
    }


def _csv_result(name: str, flow, tables: dict) -> dict | None:
    """One figure as a report-shaped result, for opstap.reports.exports.to_csv."""
    params = flow.filters.as_params()
    if name == "transitions":
        rows = [
            {
                "from": r["key"],
                "label": r["from"],
                **{b: c["n"] for b, c in zip(RUNG_KEYS, r["cells"], strict=True)},
            }
            for r in tables["transitions"]
        ]
    elif name == "durations":
        keys = ("rung", "label", "stays", "median_days", "mean_days", "still_on_rung")
        rows = [{k: r[k] for k in keys} for r in tables["durations"]]
    elif name == "time-to-activation":
        rows = [
            {"bucket": r["key"], "label": r["label"], "clients": r["clients"]}
            for r in tables["buckets"]
        ]
    elif name == "by-office":
        keys = ("office", "cohort", "activated", "median_days")
        rows = [{k: r[k] for k in keys} for r in tables["offices"]]
    elif name == "intake":
        keys = ("measured", "in_intake", "percent")
        rows = [{k: tables["intake"][k] for k in keys}]
    else:
        return None
    return {"report": f"flow-{name}", "params": params, "rows": rows, "total": {}}


@login_required
def flow(request: HttpRequest) -> HttpResponse:
    """Flow analytics: moves over the ladder, time per rung, time to a first activation."""
    _flow_required(request)
    form = FlowFilterForm(request.centre, request.GET or {})
    if not form.is_valid():
        return render(request, "dashboards/flow.html", {"form": form, "flow": None})
    result = flow_for(request.centre, request.user, form.filters())
    tables = _flow_tables(result, request.user)
    figure = request.GET.get("figure", "")
    if request.GET.get("format") == "csv":
        data = _csv_result(figure, result, tables)
        if data is None:
            raise Http404
        response = HttpResponse(to_csv(data), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="flow-{figure}.csv"'
        return response
    query = request.GET.copy()
    for key in ("format", "figure"):
        query.pop(key, None)
    context = {
        "form": form,
        "flow": result,
        "tables": tables,
        "chart": flow_chart(result.transitions["cells"]),
        "bucket_chart": bar_chart({"rows": tables["buckets"]}, "label", "clients"),
        "duration_chart": bar_chart(
            {"rows": [r for r in tables["durations"] if r["median_days"] is not None]},
            "label",
            "median_days",
        ),
        "query": query.urlencode(),
        "can_list": can_list_clients(request.user),
    }
    return render(request, "dashboards/flow.html", context)


# --- the clients behind a figure -----------------------------------------------------------------


@login_required
def figure_clients(request: HttpRequest) -> HttpResponse:
    """The clients behind a figure, as far as the viewer may open their dossiers."""
    if not can_list_clients(request.user):
        raise Http404
    resolved = figures.resolve(request.GET.get("s", ""), centre=request.centre, user=request.user)
    if resolved is None:
        raise Http404
    label, ids = resolved
    visible = (
        client_queryset_for(request.user)
        .filter(pk__in=ids)
        .select_related("office")
        .order_by("last_name", "first_name", "id")
    )
    page = Paginator(visible, 50).get_page(request.GET.get("page"))
    context = {
        "label": label,
        "page": page,
        "total": len(ids),
        "shown": page.paginator.count,
        "query": urlencode({"s": request.GET.get("s", "")}),
    }
    return render(request, "dashboards/figure_clients.html", context)


# --- the head of service's team ------------------------------------------------------------------


@login_required
def team_view(request: HttpRequest) -> HttpResponse:
    """Caseload per worker of the head's teams, and moving dossiers to a colleague."""
    head_required(request.user)
    worker_id = request.POST.get("worker") or request.GET.get("worker")
    worker = team.team_worker_get(request.user, worker_id) if worker_id else None
    if request.method == "POST" and worker is None:
        raise Http404
    if request.method == "POST":
        try:
            moved = reference_reassign(
                actor=request.user,
                from_worker_id=worker.pk,
                to_worker_id=request.POST.get("to_worker", ""),
                client_ids=request.POST.getlist("clients"),
            )
        except ValidationError as error:
            failure = error
        else:
            messages.success(
                request,
                ngettext(
                    "%(n)d dossier has a new reference worker.",
                    "%(n)d dossiers have a new reference worker.",
                    moved,
                )
                % {"n": moved},
            )
            return redirect(f"{reverse('dashboards:team')}?worker={worker.pk}")
    loads = team.team_caseload(request.user)
    dossiers = list(team.reference_dossiers_of(request.user, worker)) if worker else []
    colleagues = [load.worker for load in loads if worker and load.worker.pk != worker.pk]
    form = ReassignForm(
        request.POST if request.method == "POST" else None,
        colleagues=colleagues,
        dossiers=dossiers,
    )
    if request.method == "POST":
        form.is_valid()
        form_errors_from(form, failure)
    context = {
        "loads": loads,
        "worker": worker,
        "dossiers": dossiers,
        "colleagues": colleagues,
        "form": form,
        "selected": set(request.POST.getlist("clients")),
    }
    return render(request, "dashboards/team.html", context, status=400 if form.errors else 200)


# --- the yearly report ---------------------------------------------------------------------------


@login_required
def yearly(request: HttpRequest) -> HttpResponse:
    """The board's yearly report as PDF or XLSX, in the user's language."""
    if not (request.user.is_authenticated and request.user.role_set & YEARLY_ROLES):
        raise Http404
    last_year = datetime.date.today().year - 1
    form = YearForm(request.GET if "year" in request.GET else None, initial={"year": last_year})
    kind = request.GET.get("format")
    if not form.is_valid() or kind not in ("pdf", "xlsx"):
        return render(request, "dashboards/yearly.html", {"form": form})
    year = form.cleaned_data["year"]
    language = document_language(request.user.language)
    data = yearly_report(request.centre, request.user, year, language)
    if kind == "xlsx":
        response = HttpResponse(
            yearly_xlsx(data, language),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="yearly-report-{year}.xlsx"'
        return response
    pdf = render_pdf(
        "dashboards/yearly_pdf.html", {"data": data, "centre_name": request.centre.name}, language
    )
    return pdf_response(pdf, f"yearly-report-{year}.pdf")
