from django.apps import AppConfig


class NarrativesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "narratives"
    verbose_name = "Codebooks"
