"""Regular expressions for dates in a range of years, for the OpenAPI schema.

A schema that admits only real dates in the supported range means a client
generated from it cannot send a date the service would refuse. The service
still checks every date itself; the patterns are for callers.
"""

from app.calendars.supported_range import FIRST_YEAR, LAST_YEAR


def day_pattern(first_year: int, last_year: int) -> str:
    """Real dates (month lengths and 29 February included) from first_year to last_year."""
    years = "|".join(str(y) for y in range(first_year, last_year + 1))
    # Every fourth year in 1901-2099 is a leap year; the ranges used stay inside it.
    leap = "|".join(str(y) for y in range(first_year, last_year + 1) if y % 4 == 0)
    return (
        f"(?:(?:{years})-(?:(?:0[13578]|1[02])-(?:0[1-9]|[12][0-9]|3[01])"
        "|(?:0[469]|11)-(?:0[1-9]|[12][0-9]|30)"
        "|02-(?:0[1-9]|1[0-9]|2[0-8]))"
        f"|(?:{leap})-02-29)"
    )


DAY = day_pattern(FIRST_YEAR, LAST_YEAR)
_TIME = (
    r"T(?:[01][0-9]|2[0-3]):[0-5][0-9](?::[0-5][0-9](?:\.[0-9]{1,6})?)?"
    r"(?:Z|[+-](?:0[0-9]|1[0-4]):[0-5][0-9])"
)

DATE_PATTERN = f"^{DAY}$"
DATE_OR_DATETIME_PATTERN = f"^{DAY}(?:{_TIME})?$"
CLOSED_PATTERN = f"^(?:{DAY}(?:,{DAY})*)?$"
# A child's date of birth: old enough to be a care leaver of 25 in 2012.
BIRTH_FIRST_YEAR = 1987
DATE_OF_BIRTH_PATTERN = f"^{day_pattern(BIRTH_FIRST_YEAR, LAST_YEAR)}$"
