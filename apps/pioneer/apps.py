from django.apps import AppConfig


class PioneerConfig(AppConfig):
    name = "apps.pioneer"
    label = "pioneer"
    verbose_name = "党员先锋指数"
