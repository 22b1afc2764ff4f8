from django.urls import path

from apps.mediation import views

app_name = "mediation"

urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.register, name="register"),
    path("bulletin/", views.bulletin, name="bulletin"),
    path("institutions/", views.institutions, name="institutions"),
    path("institutions/new/", views.institution_new, name="institution_new"),
    path("institutions/<int:institution_id>/", views.institution, name="institution"),
    path("institutions/<int:institution_id>/mediators/", views.mediator_save, name="mediator_save"),
    path("apply/", views.apply, name="apply"),
    path("refer/<int:request_id>/", views.refer, name="refer"),
    path("track/", views.track, name="track"),
    path("<int:case_id>/", views.detail, name="detail"),
    path("<int:case_id>/agreement.pdf", views.agreement, name="agreement"),
    path("<int:case_id>/files/<int:attachment_id>/", views.attachment, name="attachment"),
    path("<int:case_id>/<str:action>/", views.act, name="act"),
]
