from django.apps import AppConfig


class DuesConfig(AppConfig):
    name = "apps.dues"
    label = "dues"
    verbose_name = "党费"

    def ready(self) -> None:
        from apps.dues import checks, stats  # noqa: F401  (register the checklist check and the figures)
