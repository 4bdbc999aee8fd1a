from annotations.models import AgreementRun


def test_errors_inside_a_list_are_reported_per_item_as_field_paths(world, as_user):
    response = as_user(world.lead).post(
        f"/api/projects/{world.project.pk}/agreement-runs/",
        {"codes": ["first", world.code.pk, "third"]},
        format="json",
    )
    assert response.status_code == 400
    fields = response.json()["fields"]
    assert set(fields) == {"codes[0]", "codes[2]"}
    assert all(isinstance(message, str) for message in fields["codes[0]"])
    assert not AgreementRun.objects.exists()


def test_errors_about_the_whole_request_go_under_non_field_errors(world, as_user):
    response = as_user(world.lead).post("/api/annotations/", ["not", "an", "object"], format="json")
    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["non_field_errors"]
