from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "apps.meetings"
    label = "meetings"
    verbose_name = "组织生活"

    def ready(self) -> None:
        from apps.meetings import checks, stats  # noqa: F401  (register the checklist check and the figures)
