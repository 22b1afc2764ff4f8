from django.urls import path

from apps.meetings import views

app_name = "meetings"

urlpatterns = [
    path("", views.meeting_list, name="list"),
    path("new/", views.meeting_create, name="create"),
    path("checklist/", views.checklist, name="checklist"),
    path("requirements/", views.requirements, name="requirements"),
    path("checkin/<str:code>/", views.checkin, name="checkin"),
    path("attachments/<int:attachment_id>/", views.attachment, name="attachment"),
    path("<int:meeting_id>/", views.meeting_detail, name="detail"),
    path("<int:meeting_id>/edit/", views.meeting_edit, name="edit"),
    path("<int:meeting_id>/held/", views.mark_held, name="held"),
    path("<int:meeting_id>/cancel/", views.cancel, name="cancel"),
    path("<int:meeting_id>/checkin/open/", views.open_checkin, name="open_checkin"),
    path("<int:meeting_id>/attendance/", views.set_attendance, name="attendance"),
    path("<int:meeting_id>/attachments/", views.upload, name="upload"),
]
