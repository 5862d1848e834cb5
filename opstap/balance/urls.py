from django.urls import path

from . import admin_views, views

app_name = "balance"

urlpatterns = [
    path("clients/<int:client_pk>/", views.client_balance, name="client"),
    path("clients/<int:client_pk>/start/", views.balance_start, name="start"),
    path("clients/<int:client_pk>/<int:pk>/phase/<int:number>/", views.phase, name="phase"),
    path(
        "clients/<int:client_pk>/<int:pk>/phase/<int:number>/complete/",
        views.complete,
        name="complete",
    ),
    path(
        "clients/<int:client_pk>/<int:pk>/phase/<int:number>/reopen/",
        views.reopen,
        name="reopen",
    ),
    path("clients/<int:client_pk>/<int:pk>/barriers/", views.barriers, name="barriers"),
    path(
        "clients/<int:client_pk>/<int:pk>/instruments/<int:template_pk>/",
        views.instrument,
        name="instrument",
    ),
    path("clients/<int:client_pk>/<int:pk>/synthesis.pdf", views.synthesis_pdf, name="pdf"),
    path("instruments/", admin_views.instrument_list, name="instrument-list"),
    path("instruments/new/", admin_views.instrument_create, name="instrument-create"),
    path("instruments/<int:pk>/", admin_views.instrument_edit, name="instrument-edit"),
    path("instruments/<int:pk>/sections/new/", admin_views.section_edit, name="section-create"),
    path(
        "instruments/<int:pk>/sections/<int:section_pk>/",
        admin_views.section_edit,
        name="section-edit",
    ),
    path(
        "instruments/<int:pk>/sections/<int:section_pk>/questions/new/",
        admin_views.question_edit,
        name="question-create",
    ),
    path(
        "instruments/<int:pk>/sections/<int:section_pk>/questions/<int:question_pk>/",
        admin_views.question_edit,
        name="question-edit",
    ),
    path(
        "instruments/<int:pk>/<str:kind>/<int:item_pk>/<str:action>/",
        admin_views.item_action,
        name="item-action",
    ),
    path("barriers/", admin_views.barrier_list, name="barrier-list"),
    path("barriers/<int:barrier_pk>/toggle/", admin_views.barrier_toggle, name="barrier-toggle"),
]
