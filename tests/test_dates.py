"""Dates and times follow the locale (two locales set with ``QLocale.setDefault``), in local time."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from PySide6.QtCore import QLocale

from ui.dates import datetime_format, short_datetime, short_time

MOMENT = datetime(2026, 12, 2, 15, 34, tzinfo=UTC)


def set_zone(name: str | None) -> None:
    if name is None:
        os.environ.pop("TZ", None)
    else:
        os.environ["TZ"] = name
    time.tzset()


@pytest.fixture
def utc_zone() -> Iterator[None]:
    """The local zone pinned to UTC, so the expected texts do not depend on the machine."""
    before = os.environ.get("TZ")
    set_zone("UTC")
    yield
    set_zone(before)


@pytest.fixture
def locale(qapp: object) -> Iterator[type[QLocale]]:
    before = QLocale()
    yield QLocale
    QLocale.setDefault(before)


def test_us_english_writes_month_first_and_a_12_hour_clock(utc_zone: None, locale: type[QLocale]) -> None:
    locale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))
    assert short_datetime(MOMENT).replace("\u202f", " ") == "12/2/26 3:34 PM"  # some ICU use a narrow space
    assert short_time(MOMENT).replace("\u202f", " ") == "3:34 PM"


def test_german_writes_day_first_and_a_24_hour_clock(utc_zone: None, locale: type[QLocale]) -> None:
    locale.setDefault(QLocale(QLocale.Language.German, QLocale.Country.Germany))
    assert short_datetime(MOMENT) == "02.12.26 15:34"
    assert short_time(MOMENT) == "15:34"


def test_no_locale_set_writes_iso_8601(utc_zone: None, locale: type[QLocale]) -> None:
    locale.setDefault(QLocale.c())
    assert short_datetime(MOMENT) == "2026-12-02 15:34"
    assert datetime_format() == "yyyy-MM-dd HH:mm"


def test_a_naive_datetime_is_utc_and_none_is_empty(utc_zone: None, locale: type[QLocale]) -> None:
    locale.setDefault(QLocale(QLocale.Language.German, QLocale.Country.Germany))
    assert short_datetime(MOMENT.replace(tzinfo=None)) == short_datetime(MOMENT)
    assert short_datetime(None) == "" and short_time(None) == ""


def test_utc_is_shown_in_local_time(utc_zone: None, locale: type[QLocale]) -> None:
    locale.setDefault(QLocale(QLocale.Language.German, QLocale.Country.Germany))
    set_zone("Europe/Berlin")  # the fixture puts the zone back
    assert short_time(MOMENT) == "16:34"  # UTC+1 in December
