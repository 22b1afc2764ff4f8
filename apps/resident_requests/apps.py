from django.apps import AppConfig


class ResidentRequestsConfig(AppConfig):
    name = "apps.resident_requests"
    label = "resident_requests"
    verbose_name = "民情诉求"

    def ready(self) -> None:
        from apps.resident_requests import rules, stats  # noqa: F401  (registers the alert rule and the figures)
