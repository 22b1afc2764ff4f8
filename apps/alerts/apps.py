from django.apps import AppConfig


class AlertsConfig(AppConfig):
    name = "apps.alerts"
    label = "alerts"
    verbose_name = "预警"

    def ready(self) -> None:
        from apps.alerts import rules  # noqa: F401  (registers the alert rules)
