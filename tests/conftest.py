from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from app.calendars import WorkingDayCalendar, bank_holiday_data
from app.main import app


@pytest.fixture(scope="session")
def client() -> Iterator[TestClient]:
    with TestClient(app) as c:
        yield c


@pytest.fixture(scope="session")
def calendars() -> dict[str, WorkingDayCalendar]:
    return bank_holiday_data().calendars
