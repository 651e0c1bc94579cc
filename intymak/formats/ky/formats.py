"""Kyrgyz dates as Kyrgyz writes them: the day and the year as ordinals with a hyphen, the month in lower case
("12-август 2022-ж.", as the programme's newsletter writes "2021-ж."). Django's own Kyrgyz formats ("12 Август
2022 ж.") are used for everything not set here; the month names themselves are in locale/upstream/ky."""

DATE_FORMAT = "j-E Y-ж."
DATETIME_FORMAT = "j-E Y-ж. G:i"
YEAR_MONTH_FORMAT = "Y-ж. F"
MONTH_DAY_FORMAT = "j-E"
