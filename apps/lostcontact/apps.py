from django.apps import AppConfig


class LostContactConfig(AppConfig):
    name = "apps.lostcontact"
    label = "lostcontact"
    verbose_name = "失联党员"
