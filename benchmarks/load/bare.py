"""The issue's reference point, served beside the app by the benchmark's server only: a bare DRF
insert (a ModelSerializer and one ORM insert, no authentication, permission or history). It shows
what DRF and one durable insert cost on this machine, measured in the same run as the rest."""

from django.db import models
from django.urls import path
from rest_framework import generics, permissions, serializers

from config.urls import urlpatterns as app_urlpatterns


class BareRow(models.Model):
    source = models.IntegerField()
    code = models.IntegerField()
    start = models.IntegerField()
    end = models.IntegerField()
    memo = models.TextField(blank=True)

    class Meta:
        app_label = "annotations"
        db_table = "loadbench_bare_row"
        managed = False

    def __str__(self) -> str:
        return f"{self.source}:{self.start}-{self.end}"


class BareRowSerializer(serializers.ModelSerializer):
    class Meta:
        model = BareRow
        fields = ["id", "source", "code", "start", "end", "memo"]


class BareInsert(generics.CreateAPIView):
    serializer_class = BareRowSerializer
    authentication_classes: list = []
    permission_classes = [permissions.AllowAny]


urlpatterns = [*app_urlpatterns, path("bench/bare-insert/", BareInsert.as_view())]
