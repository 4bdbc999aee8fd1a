from django.urls import include, path

urlpatterns = [
    path("", include("annotations.views.workspace")),
    path("", include("annotations.views.history")),
    path("", include("annotations.views.setup")),
]
