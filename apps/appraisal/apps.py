from django.apps import AppConfig


class AppraisalConfig(AppConfig):
    name = "apps.appraisal"
    label = "appraisal"
    verbose_name = "星级评定与述职评议"
