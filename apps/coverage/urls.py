from django.urls import path

from apps.coverage import views

app_name = "coverage"

urlpatterns = [
    path("", views.index, name="index"),
    path("units/", views.unit_list, name="units"),
    path("units/new/", views.unit_new, name="unit_new"),
    path("units/export.xlsx", views.export, name="export"),
    path("units/<int:unit_id>/", views.unit_detail, name="unit"),
    path("units/<int:unit_id>/edit/", views.unit_edit, name="unit_edit"),
    path("units/<int:unit_id>/status/", views.unit_status, name="unit_status"),
    path("units/<int:unit_id>/close/", views.unit_close, name="unit_close"),
    path("units/<int:unit_id>/visits/", views.unit_visit, name="unit_visit"),
    path("parks/", views.parks, name="parks"),
    path("parks/<int:park_id>/edit/", views.park_edit, name="park_edit"),
    path("parks/export.xlsx", views.parks_export, name="parks_export"),
    path("parks/import/", views.parks_import, name="parks_import"),
    path("import/", views.import_page, name="import"),
    path("import/template.xlsx", views.import_template, name="import_template"),
]
