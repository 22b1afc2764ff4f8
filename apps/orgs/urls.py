from django.urls import path

from apps.orgs import views

app_name = "orgs"

urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.create, name="create"),
    path("search/", views.search, name="search"),
    path("pick/", views.pick, name="pick"),
    path("tree/<int:org_id>/", views.tree_children, name="tree_children"),
    path("<int:org_id>/", views.detail, name="detail"),
    path("<int:org_id>/edit/", views.edit, name="edit"),
    path("<int:org_id>/move/", views.move, name="move"),
    path("<int:org_id>/committee/", views.committee_add, name="committee_add"),
    path("committee/<int:seat_id>/end/", views.committee_end, name="committee_end"),
]
