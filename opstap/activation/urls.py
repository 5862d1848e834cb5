from django.urls import path

from . import views

app_name = "activation"

urlpatterns = [
    path("", views.placement_list, name="placement-list"),
    path("clients/<int:pk>/", views.client_activation, name="client"),
    path("clients/<int:pk>/new/", views.placement_create, name="placement-create"),
    path("clients/<int:pk>/payment/", views.payment_edit, name="payment-edit"),
    path("placements/<int:pk>/", views.placement_detail, name="placement-detail"),
    path("placements/<int:pk>/advance/", views.placement_advance, name="placement-advance"),
    path("placements/<int:pk>/end/", views.placement_end, name="placement-end"),
    path("placements/<int:pk>/mutate/", views.placement_mutate, name="placement-mutate"),
    path("placements/<int:pk>/agreement/", views.agreement_edit, name="agreement-edit"),
    path("placements/<int:pk>/agreement.pdf", views.agreement_pdf, name="agreement-pdf"),
    path("placements/<int:pk>/art60/", views.art60_edit, name="art60-edit"),
    path("placements/<int:pk>/evaluation/", views.evaluation, name="evaluation"),
    path("hours/<int:org_pk>/<str:month>/", views.hours_review, name="hours-review"),
    path("hours/corrections/<int:pk>/", views.hours_correct, name="hours-correct"),
    path("payments/", views.payment_file, name="payment-file"),
    path("settings/", views.settings_edit, name="settings"),
    path("partner/hours/", views.partner_hours, name="partner-hours"),
    path(
        "partner/placements/<int:pk>/evaluation/",
        views.partner_evaluation,
        name="partner-evaluation",
    ),
]
