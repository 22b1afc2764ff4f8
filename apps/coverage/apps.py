from django.apps import AppConfig


class CoverageConfig(AppConfig):
    name = "apps.coverage"
    label = "coverage"
    verbose_name = "两新组织覆盖"
