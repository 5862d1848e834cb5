from django.urls import path

from . import views

app_name = "clients"

urlpatterns = [
    path("", views.caseload, name="caseload"),
    path("new/", views.client_create, name="create"),
    path("<int:pk>/", views.client_detail, name="detail"),
    path("<int:pk>/edit/", views.client_edit, name="edit"),
    path("<int:pk>/rights/", views.rights, name="rights"),
    path("<int:pk>/rights/<int:right_pk>/", views.right_edit, name="right-edit"),
    path("<int:pk>/care-team/", views.care_team, name="care-team"),
    path("<int:pk>/care-team/<int:member_pk>/end/", views.care_member_end, name="care-member-end"),
    path("<int:pk>/journal/", views.journal, name="journal"),
    path("<int:pk>/appointments/", views.appointments, name="appointments"),
    path(
        "<int:pk>/appointments/<int:appointment_pk>/cancel/",
        views.appointment_cancel,
        name="appointment-cancel",
    ),
    path("<int:pk>/access-log/", views.access_log, name="access-log"),
]
