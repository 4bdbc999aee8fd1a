from django.urls import URLPattern

# The home page and the project overview show assignments, which belong to `annotations`;
# since `sources` must not depend on it, those pages live in annotations/views/workspace.py.
urlpatterns: list[URLPattern] = []
