import pytest

from interchange.formats import EXPORTERS
from tests.interchange.conftest import body


@pytest.mark.parametrize("kind", list(EXPORTERS))
def test_every_kind_downloads(world, kind):
    response = world.get(kind)
    assert response.status_code == 200, response.content
    data = body(response)
    assert data
