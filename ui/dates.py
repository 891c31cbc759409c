"""Dates and times as the reviewer's system writes them (its locale's short formats), in local
time. The database keeps UTC; a naive datetime is taken to be UTC, as the desk stores them.

``QLocale()`` is the system locale unless something called ``QLocale.setDefault`` (the tests
do). A system with no locale set ("C", common on servers and in containers) would write
``2 12 2026 03:34``; there the desk writes ISO 8601 instead, which nobody misreads.
"""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtCore import QDateTime, QLocale

ISO_DATETIME = "yyyy-MM-dd HH:mm"
ISO_TIME = "HH:mm"


def _local(moment: datetime) -> QDateTime:
    aware = moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
    return QDateTime.fromSecsSinceEpoch(int(aware.timestamp()))  # in the local time zone


def _unset(locale: QLocale) -> bool:
    return locale.language() == QLocale.Language.C


def datetime_format() -> str:
    """The short date-and-time pattern, for widgets that edit one (``QDateTimeEdit``)."""
    locale = QLocale()
    return ISO_DATETIME if _unset(locale) else locale.dateTimeFormat(QLocale.FormatType.ShortFormat)


def short_datetime(moment: datetime | None) -> str:
    """``02.12.26 03:34`` or ``12/2/26 3:34 AM``, as the locale has it; "" for none."""
    if moment is None:
        return ""
    return QLocale().toString(_local(moment), datetime_format())


def short_time(moment: datetime | None) -> str:
    """``03:34`` or ``3:34 AM``, as the locale has it; "" for none."""
    if moment is None:
        return ""
    locale = QLocale()
    pattern = ISO_TIME if _unset(locale) else locale.timeFormat(QLocale.FormatType.ShortFormat)
    return locale.toString(_local(moment).time(), pattern)
