from django.urls import path

from apps.appraisal import views

app_name = "appraisal"

urlpatterns = [
    path("", views.index, name="index"),
    path("reports/<int:report_id>/", views.report_detail, name="report"),
]
