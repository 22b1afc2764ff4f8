from django.apps import AppConfig


class GridConfig(AppConfig):
    name = "apps.grid"
    label = "grid"
    verbose_name = "片组户民情联系"

    def ready(self) -> None:
        from apps.grid import stats  # noqa: F401  (registers the grid figures)
