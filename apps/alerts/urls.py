from django.urls import path

from apps.alerts import views

app_name = "alerts"

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("<int:alert_id>/open/", views.open_alert, name="open"),
    path("read-all/", views.mark_all_read, name="read_all"),
    path("refresh/", views.refresh, name="refresh"),
]
