import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from core.api.authentication import TokenAuthentication

pytestmark = pytest.mark.django_db


def with_token(key):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def test_each_token_authenticates_its_own_user_and_no_token_nobody(world, as_user):
    def coders_seen_by(user):
        response = as_user(user).get("/api/annotations/")
        assert response.status_code == 200
        return {row["coder"] for row in response.json()["results"]}

    assert coders_seen_by(world.lead) == {"alice", "bob"}
    assert coders_seen_by(world.alice) == {"alice"}
    assert coders_seen_by(world.outsider) == {"oscar"}
    assert as_user(None).get("/api/annotations/").status_code == 401


def test_an_unknown_token_is_a_401_in_the_apis_error_shape(world):
    response = with_token("0" * 40).get("/api/annotations/")
    assert response.status_code == 401
    error = response.json()
    assert error["status"] == 401 and error["message"] == "Invalid token."


def test_the_token_of_a_deactivated_user_no_longer_works(world):
    key = Token.objects.create(user=world.alice).key
    assert with_token(key).get("/api/annotations/").status_code == 200
    world.alice.is_active = False
    world.alice.save()
    response = with_token(key).get("/api/annotations/")
    assert response.status_code == 401 and response.json()["message"] == "User inactive or deleted."


def test_it_answers_with_the_user_and_the_token_as_drf_does(world):
    token = Token.objects.create(user=world.bob)
    user, found = TokenAuthentication().authenticate_credentials(token.key)
    assert user == world.bob and user.username == "bob"
    assert (found.key, found.user_id, found.created) == (token.key, world.bob.pk, token.created)
