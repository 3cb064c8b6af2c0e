"""Russian formats: one date format everywhere, dd.mm.yyyy, as Russian documents write it.

See docs/decisions/locale.md. ``MONEY_FORMAT`` is ours (``corpnet.display.format_money``).
"""

DATE_FORMAT = "d.m.Y"
SHORT_DATE_FORMAT = "d.m.Y"
DATETIME_FORMAT = "d.m.Y H:i"
SHORT_DATETIME_FORMAT = "d.m.Y H:i"
TIME_FORMAT = "H:i"
MONTH_DAY_FORMAT = "j F"
YEAR_MONTH_FORMAT = "F Y г."
FIRST_DAY_OF_WEEK = 1  # Monday

# The first input format is the one a form redisplays; ISO dates are accepted too.
DATE_INPUT_FORMATS = ["%d.%m.%Y", "%d.%m.%y", "%Y-%m-%d"]
DATETIME_INPUT_FORMATS = ["%d.%m.%Y %H:%M", "%d.%m.%Y %H:%M:%S", "%d.%m.%y %H:%M", "%Y-%m-%d %H:%M"]

DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "\xa0"  # a non-breaking space: "1 937 124,91" never wraps
NUMBER_GROUPING = 3

#: A sum with its currency: "1 937 124,91 ₽" (a non-breaking space before the sign).
MONEY_FORMAT = "{amount}\xa0{symbol}"
