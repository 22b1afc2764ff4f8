from django.urls import path

from apps.resident_requests import views

app_name = "resident_requests"

urlpatterns = [
    path("", views.index, name="index"),
    # Public pages for residents (no login).
    path("submit/", views.public_submit, name="submit"),
    path("track/", views.public_track, name="track"),
    path("track/rate/", views.public_rate, name="rate"),
    # Staff pages.
    path("export.xlsx", views.export, name="export"),
    path("new/", views.new, name="new"),
    path("department/", views.department_inbox, name="department"),
    path("rules/", views.rules, name="rules"),
    path("departments/", views.departments, name="departments"),
    path("departments/<int:department_id>/", views.departments, name="department_edit"),
    path("attachments/<int:attachment_id>/", views.attachment, name="attachment"),
    path("poster/", views.poster, name="poster"),
    path("work-orders/", views.work_orders, name="work_orders"),
    path("work-orders/<int:work_order_id>/", views.work_order_detail, name="work_order"),
    path("work-orders/<int:work_order_id>/send/", views.work_order_send, name="work_order_send"),
    path("work-orders/<int:work_order_id>/print.pdf", views.work_order_pdf, name="work_order_pdf"),
    path("parts/<int:part_id>/<str:action>/", views.part_action, name="part_action"),
    path("<int:request_id>/", views.detail, name="detail"),
    path("<int:request_id>/reveal/", views.reveal, name="reveal"),
    path("<int:request_id>/attachments/", views.attachment_upload, name="attachment_upload"),
    path("<int:request_id>/work-order/", views.work_order_new, name="work_order_new"),
    path("<int:request_id>/<str:action>/", views.action, name="action"),
]
