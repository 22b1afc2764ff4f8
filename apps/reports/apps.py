from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "apps.reports"
    label = "reports"
    verbose_name = "统计报表"

    def ready(self) -> None:
        from apps.reports import yearly  # noqa: F401  (registers the report job)
