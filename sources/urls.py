from django.urls import include, path

urlpatterns = [
    path("", include("sources.views")),
]
