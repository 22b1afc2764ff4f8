from django.urls import path

from apps.lostcontact import views

app_name = "lostcontact"

urlpatterns = [
    path("", views.case_list, name="list"),
    path("<int:case_id>/", views.case_detail, name="detail"),
    path("<int:case_id>/<str:action>/", views.case_action, name="action"),
    path("members/<int:member_id>/open/", views.case_open, name="open"),
]
