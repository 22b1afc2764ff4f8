from django.apps import AppConfig


class MembersConfig(AppConfig):
    name = "apps.members"
    label = "members"
    verbose_name = "党员"

    def ready(self) -> None:
        from apps.members import checks, stats  # noqa: F401  (register the checklist check and the figures)
