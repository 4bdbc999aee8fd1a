from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from config.views import favicon, health

urlpatterns = [
    path("admin/", admin.site.urls),
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("health/", health, name="health"),
    path("favicon.ico", favicon, name="favicon"),
    path("api/", include("config.api_urls")),
    path("", include("sources.urls")),
    path("", include("annotations.urls")),
    path("", include("narratives.views")),
    path("", include("agreement.urls")),
    path("", include("interchange.urls")),
]
