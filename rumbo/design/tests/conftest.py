import datetime as dt

import pytest

from rumbo.coverage.adapters import compute_segments
from rumbo.design.services import create_scenario

JULY = dt.date(2024, 7, 1)


@pytest.fixture
def scenario(cast):
    """Maria's draft for Lima: Lima Norte 1 (alicia) and Lima Sur 1 (bruno), four accounts."""
    compute_segments(organisation=cast.org, month=JULY, months=1)
    return create_scenario(root=cast.territories["lima"], name="Lima 2025", actor=cast.maria)
