from django.urls import path

from apps.pioneer import views

app_name = "pioneer"

urlpatterns = [
    path("", views.ranking, name="ranking"),
    path("manual/", views.add_manual, name="manual"),
    path("publish/", views.publish, name="publish"),
    path("scheme/", views.scheme, name="scheme"),
]
