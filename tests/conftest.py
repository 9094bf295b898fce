import os
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, settings

from app.calendars import WorkingDayCalendar, bank_holiday_data
from app.main import app

# Nothing in the tests depends on how fast the machine is: hypothesis's own
# timing checks (a per-example deadline, the too_slow health check) are off,
# because on a loaded 2-core machine they failed tests whose answers were right.
UNTIMED = {"deadline": None, "suppress_health_check": [HealthCheck.too_slow]}
settings.register_profile("untimed", **UNTIMED)
# In CI the property tests and schemathesis run derandomized, so a red build
# is reproducible; locally each run explores new examples.
settings.register_profile("ci", derandomize=True, print_blob=True, **UNTIMED)
settings.load_profile("ci" if os.environ.get("CI") else "untimed")


@pytest.fixture(scope="session")
def client() -> Iterator[TestClient]:
    with TestClient(app) as c:
        yield c


@pytest.fixture(scope="session")
def calendars() -> dict[str, WorkingDayCalendar]:
    return bank_holiday_data().calendars
