"""Calendar arithmetic shared by the apps: one definition of "N months after", and the day as
the screen writes it."""

from __future__ import annotations

import calendar
import datetime


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day number `months` calendar months later, clipped to that month's last day."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def screen_date(day: datetime.date | None) -> str:
    """DD/MM/YYYY, as the template filter date:"d/m/Y" writes it; "" for no day."""
    return f"{day.day:02d}/{day.month:02d}/{day.year:04d}" if day else ""
