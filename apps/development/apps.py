from django.apps import AppConfig


class DevelopmentConfig(AppConfig):
    name = "apps.development"
    label = "development"
    verbose_name = "发展党员"

    def ready(self) -> None:
        from apps.development import checks, stats  # noqa: F401  (register the checklist check and the figures)
