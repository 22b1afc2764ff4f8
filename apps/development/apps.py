from django.apps import AppConfig


class DevelopmentConfig(AppConfig):
    name = "apps.development"
    label = "development"
    verbose_name = "发展党员"

    def ready(self) -> None:
        from apps.development import checks  # noqa: F401  (registers the checklist check)
