from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "apps.core"
    label = "core"
    verbose_name = "公共机制"

    def ready(self) -> None:
        from apps.core import history  # noqa: F401  (connects the history-context signal)
