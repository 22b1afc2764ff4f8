from django.urls import path

from apps.transfers import views

app_name = "transfers"

urlpatterns = [
    path("", views.transfer_list, name="list"),
    path("new/", views.transfer_new, name="new"),
    path("in/", views.transfer_in, name="in"),
    path("<int:transfer_id>/", views.transfer_detail, name="detail"),
    path("<int:transfer_id>/letter.pdf", views.letter, name="letter"),
    path("<int:transfer_id>/<str:action>/", views.transfer_action, name="action"),
]
