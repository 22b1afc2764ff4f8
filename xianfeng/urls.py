from django.contrib import admin
from django.urls import include, path

from xianfeng.api import api

urlpatterns = [
    path("", include("apps.dashboard.urls")),
    path("accounts/", include("apps.accounts.urls")),
    path("orgs/", include("apps.orgs.urls")),
    path("members/", include("apps.members.urls")),
    path("core/", include("apps.core.urls")),
    path("dues/", include("apps.dues.urls")),
    path("meetings/", include("apps.meetings.urls")),
    path("development/", include("apps.development.urls")),
    path("alerts/", include("apps.alerts.urls")),
    path("transfers/", include("apps.transfers.urls")),
    path("lost-contact/", include("apps.lostcontact.urls")),
    path("pioneer/", include("apps.pioneer.urls")),
    path("coverage/", include("apps.coverage.urls")),
    path("reports/", include("apps.reports.urls")),
    path("appraisal/", include("apps.appraisal.urls")),
    path("grid/", include("apps.grid.urls")),
    path("requests/", include("apps.resident_requests.urls")),
    path("mediation/", include("apps.mediation.urls")),
    path("api/v1/", api.urls),
    path("django-admin/", admin.site.urls),
]
