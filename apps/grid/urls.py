from django.urls import path

from apps.grid import views

app_name = "grid"

urlpatterns = [
    path("", views.index, name="index"),
    path("mine/", views.mine, name="mine"),
    path("zones/new/", views.zone_form, name="zone_new"),
    path("zones/<int:zone_id>/", views.zone_detail, name="zone"),
    path("zones/<int:zone_id>/edit/", views.zone_form, name="zone_edit"),
    path("zones/<int:zone_id>/cards.pdf", views.zone_cards, name="zone_cards"),
    path("zones/<int:zone_id>/groups/new/", views.group_form, name="group_new"),
    path("groups/<int:group_id>/edit/", views.group_form, name="group_edit"),
    path("zones/<int:zone_id>/teams/new/", views.team_form, name="team_new"),
    path("teams/<int:team_id>/edit/", views.team_form, name="team_edit"),
    path("households/", views.household_list, name="households"),
    path("households/new/", views.household_form, name="household_new"),
    path("households/export.xlsx", views.household_export, name="households_export"),
    path("households/liaison/", views.bulk_liaison, name="bulk_liaison"),
    path("households/<int:household_id>/", views.household_detail, name="household"),
    path("households/<int:household_id>/edit/", views.household_form, name="household_edit"),
    path("households/<int:household_id>/reveal/", views.household_reveal, name="household_reveal"),
    path("households/<int:household_id>/file.pdf", views.household_file, name="household_file"),
    path("households/<int:household_id>/liaison/", views.household_liaison, name="household_liaison"),
    path("households/<int:household_id>/visits/new/", views.visit_new, name="visit_new"),
    path("households/<int:household_id>/residents/new/", views.resident_form, name="resident_new"),
    path(
        "households/<int:household_id>/residents/<int:resident_id>/edit/",
        views.resident_form,
        name="resident_edit",
    ),
    path(
        "households/<int:household_id>/residents/<int:resident_id>/delete/",
        views.resident_delete,
        name="resident_delete",
    ),
    path("visits/<int:visit_id>/delete/", views.visit_delete, name="visit_delete"),
    path("liaisons/", views.liaisons, name="liaisons"),
    path("liaisons/export.xlsx", views.liaisons_export, name="liaisons_export"),
    path("liaisons/<int:member_id>/card.pdf", views.liaison_card, name="liaison_card"),
    path("pick-member/", views.pick_member, name="pick_member"),
    path("pick-org/", views.pick_org, name="pick_org"),
    path("import/", views.import_page, name="import"),
    path("import/template.xlsx", views.import_template, name="import_template"),
]
