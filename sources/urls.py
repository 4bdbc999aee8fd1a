from django.urls import path

from sources import views

urlpatterns = [
    path("", views.home, name="home"),
]
