from django.urls import path

from . import views

app_name = "network"

urlpatterns = [
    path("", views.organisation_list, name="organisation-list"),
    path("organisations/new/", views.organisation_create, name="organisation-create"),
    path("organisations/<int:pk>/", views.organisation_detail, name="organisation-detail"),
    path("organisations/<int:pk>/edit/", views.organisation_edit, name="organisation-edit"),
    path("organisations/<int:pk>/places/new/", views.place_create, name="place-create"),
    path("organisations/<int:pk>/places/<int:place_pk>/", views.place_edit, name="place-edit"),
    path("catalogue/", views.offer_list, name="offer-list"),
    path("catalogue/new/", views.offer_create, name="offer-create"),
    path("catalogue/<int:pk>/", views.offer_edit, name="offer-edit"),
    path("catalogue/defaults/", views.catalogue_defaults, name="catalogue-defaults"),
    path("clients/<int:pk>/referrals/", views.client_referrals, name="client-referrals"),
    path("clients/<int:pk>/referrals/new/", views.referral_create, name="referral-create"),
    path("clients/<int:pk>/case-overview/", views.case_overview, name="case-overview"),
    path("referrals/<int:pk>/status/", views.referral_status, name="referral-status"),
    path("referrals/waiting/", views.referrals_waiting, name="referrals-waiting"),
    path("partner/", views.partner_home, name="partner-home"),
    path("partner/referrals/<int:pk>/", views.partner_referral, name="partner-referral"),
]
