import os
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from hypothesis import settings

from app.calendars import WorkingDayCalendar, bank_holiday_data
from app.main import app

# In CI the property tests and schemathesis run derandomized, so a red build
# is reproducible; locally each run explores new examples.
settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")


@pytest.fixture(scope="session")
def client() -> Iterator[TestClient]:
    with TestClient(app) as c:
        yield c


@pytest.fixture(scope="session")
def calendars() -> dict[str, WorkingDayCalendar]:
    return bank_holiday_data().calendars
