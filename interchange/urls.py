from django.urls import include, path

urlpatterns = [
    path("", include("interchange.views")),
    path("", include("interchange.export_views")),
]
