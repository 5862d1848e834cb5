from django.urls import path

from . import views

app_name = "gpmi"

C = "clients/<int:pk>/"
G = C + "<int:gid>/"

urlpatterns = [
    path("overdue/", views.overdue, name="overdue"),
    path("catalogue/", views.catalogue, name="catalogue"),
    path("catalogue/<int:domain_id>/", views.catalogue_domain, name="catalogue-domain"),
    path(C, views.client_gpmi, name="client"),
    path(C + "new/", views.gpmi_create, name="create"),
    path(C + "exempt/", views.gpmi_exempt, name="exempt"),
    path(C + "sanctions/", views.sanctions, name="sanctions"),
    path(C + "sanctions/new/", views.sanction_warn, name="sanction-warn"),
    path(C + "sanctions/<int:sid>/hearing/", views.sanction_hearing, name="sanction-hearing"),
    path(C + "sanctions/<int:sid>/decide/", views.sanction_decide, name="sanction-decide"),
    path(G, views.gpmi_detail, name="detail"),
    path(G + "edit/", views.gpmi_edit, name="edit"),
    path(G + "propose/", views.gpmi_propose, name="propose"),
    path(G + "back-to-draft/", views.gpmi_back_to_draft, name="back-to-draft"),
    path(G + "sign/", views.gpmi_sign, name="sign"),
    path(G + "start/", views.gpmi_start, name="start"),
    path(G + "end/", views.gpmi_end, name="end"),
    path(G + "delete/", views.gpmi_delete, name="delete"),
    path(G + "amend/", views.gpmi_amend, name="amend"),
    path(G + "amend/finish/", views.gpmi_amend_finish, name="amend-finish"),
    path(G + "evaluate/", views.evaluation_create, name="evaluate"),
    path(G + "versions/<int:number>/", views.version_detail, name="version"),
    path(G + "contract.pdf", views.gpmi_pdf, name="pdf"),
    path(G + "summary.pdf", views.gpmi_summary_pdf, name="summary-pdf"),
    path(G + "goals/new/", views.goal_add, name="goal-add"),
    path(G + "goals/<int:goal_id>/", views.goal_edit, name="goal-edit"),
    path(G + "goals/<int:goal_id>/delete/", views.goal_delete, name="goal-delete"),
    path(G + "goals/<int:goal_id>/steps/new/", views.step_add, name="step-add"),
    path(G + "steps/<int:step_id>/", views.step_edit, name="step-edit"),
    path(G + "steps/<int:step_id>/delete/", views.step_delete, name="step-delete"),
    path(G + "third-parties/new/", views.third_party_add, name="third-party-add"),
    path(
        G + "third-parties/<int:party_id>/remove/",
        views.third_party_remove,
        name="third-party-remove",
    ),
]
