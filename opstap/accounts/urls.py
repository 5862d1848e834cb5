from django.urls import path

from . import admin_views, views

app_name = "accounts"

urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("otp/", views.otp_verify, name="otp-verify"),
    path("otp/setup/", views.otp_setup, name="otp-setup"),
    path("me/", views.profile, name="profile"),
    path("me/password/", views.password_change, name="password-change"),
    path("admin/", admin_views.admin_home, name="admin-home"),
    path("admin/users/", admin_views.user_list, name="admin-users"),
    path("admin/users/new/", admin_views.user_create, name="admin-user-create"),
    path("admin/users/<int:pk>/", admin_views.user_edit, name="admin-user-edit"),
    path("admin/users/<int:pk>/unlock/", admin_views.user_unlock, name="admin-user-unlock"),
    path(
        "admin/users/<int:pk>/reset-password/",
        admin_views.user_password_reset,
        name="admin-user-password-reset",
    ),
    path(
        "admin/users/<int:pk>/reset-2fa/", admin_views.user_totp_reset, name="admin-user-totp-reset"
    ),
    path("admin/offices/", admin_views.office_list, name="admin-offices"),
    path("admin/offices/new/", admin_views.office_create, name="admin-office-create"),
    path("admin/offices/<int:pk>/", admin_views.office_edit, name="admin-office-edit"),
    path("admin/teams/", admin_views.team_list, name="admin-teams"),
    path("admin/teams/new/", admin_views.team_create, name="admin-team-create"),
    path("admin/teams/<int:pk>/", admin_views.team_edit, name="admin-team-edit"),
    path("admin/centre/", admin_views.centre_settings, name="admin-centre"),
    path("admin/audit/", admin_views.audit_log, name="admin-audit"),
]
