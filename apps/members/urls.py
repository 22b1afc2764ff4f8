from django.urls import path

from apps.members import views

app_name = "members"

urlpatterns = [
    path("", views.member_list, name="list"),
    path("count/", views.member_count, name="count"),
    path("new/", views.member_create, name="create"),
    path("import/", views.import_page, name="import"),
    path("import/template.xlsx", views.import_template, name="import_template"),
    path("export/", views.export, name="export"),
    path("<int:member_id>/", views.member_detail, name="detail"),
    path("<int:member_id>/edit/", views.member_edit, name="edit"),
    path("<int:member_id>/reveal/<str:field>/", views.member_reveal, name="reveal"),
    path("<int:member_id>/make-full/", views.member_make_full, name="make_full"),
    path("<int:member_id>/category/", views.member_category, name="category"),
]
