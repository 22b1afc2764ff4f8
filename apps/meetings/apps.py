from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "apps.meetings"
    label = "meetings"
    verbose_name = "组织生活"

    def ready(self) -> None:
        from apps.meetings import checks  # noqa: F401  (registers the checklist check)
