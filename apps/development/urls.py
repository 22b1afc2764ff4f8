from django.urls import path

from apps.development import views

app_name = "development"

urlpatterns = [
    path("", views.board, name="board"),
    path("new/", views.register, name="register"),
    path("approvals/", views.approvals, name="approvals"),
    path("<int:prospect_id>/", views.detail, name="detail"),
    path("<int:prospect_id>/<str:name>/", views.step, name="step"),
]
