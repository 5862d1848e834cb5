from django.urls import path

from . import views

app_name = "courses"
urlpatterns = [
    path("", views.module_list, name="module-list"),
    path("new/", views.module_create, name="module-create"),
    path("<int:pk>/", views.module_detail, name="module-detail"),
    path("<int:pk>/edit/", views.module_edit, name="module-edit"),
    path("<int:pk>/editions/new/", views.edition_create, name="edition-create"),
    path("editions/<int:pk>/", views.edition_detail, name="edition-detail"),
    path("editions/<int:pk>/edit/", views.edition_edit, name="edition-edit"),
    path("editions/<int:pk>/schedule/", views.schedule_edit, name="schedule-edit"),
    path("editions/<int:pk>/evaluation/", views.edition_evaluate, name="edition-evaluate"),
    path(
        "editions/<int:pk>/propose/<int:client_pk>/",
        views.enrolment_propose,
        name="enrolment-propose",
    ),
    path("sessions/<int:pk>/", views.session_move, name="session-move"),
    path("sessions/<int:pk>/restore/", views.session_restore, name="session-restore"),
    path("sessions/<int:pk>/register/", views.session_register, name="session-register"),
    path("enrolments/<int:pk>/", views.enrolment_detail, name="enrolment-detail"),
    path("client/<int:pk>/", views.client_modules, name="client-modules"),
]
