from agreement.models import AgreementRun


def test_errors_inside_a_list_name_the_item_under_the_field(world, as_user):
    response = as_user(world.lead).post(
        f"/api/projects/{world.project.pk}/agreement-runs/",
        {"codes": ["first", world.code.pk, "third"]},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["fields"] == {
        "codes": ["item 0: A valid integer is required.", "item 2: A valid integer is required."]
    }
    assert not AgreementRun.objects.exists()


def test_errors_about_the_whole_request_go_under_non_field_errors(world, as_user):
    response = as_user(world.lead).post("/api/annotations/", ["not", "an", "object"], format="json")
    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["non_field_errors"]


def test_a_form_with_more_fields_than_django_parses_is_a_json_400(world, as_user, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 5
    fields = {f"field{n}": "x" for n in range(10)}
    response = as_user(world.lead).post("/api/annotations/", fields, format="multipart")
    assert response.status_code == 400
    assert response.json()["code"] == "parse_error"
