"""The books' configurable rules (legal basis: compliance.md §1): when a day locks, the climate slots and limits,
the storage areas. Built from the app's settings at the edge and handed to the services."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation

from ..clock import LOCAL_TZ, as_utc
from ..config import DEFAULTS, setting


def _slots(text: str) -> tuple[time, ...]:
    slots = []
    for part in text.split(","):
        if part.strip():
            hour, _, minute = part.strip().partition(":")
            slots.append(time(int(hour), int(minute or 0)))
    return tuple(sorted(slots))


def _areas(text: str) -> tuple[str, ...]:
    return tuple(area.strip() for area in text.split(",") if area.strip())


def _number(text) -> Decimal:
    try:
        return Decimal(str(text))
    except InvalidOperation:
        raise ValueError(f"not a number: {text!r}") from None


@dataclass(frozen=True)
class BookRules:
    lock_hour: int = 2                          # a day's entries lock at this local hour the next day
    slots: tuple[time, ...] = (time(9), time(15))
    slot_window_minutes: int = 90               # a reading this close to a slot fills it
    temperature_min: Decimal = Decimal(15)
    temperature_max: Decimal = Decimal(30)
    humidity_max: Decimal = Decimal(75)
    areas: tuple[str, ...] = _areas(DEFAULTS["CLIMATE_AREAS"])  # the pharmacy's own names: data, not UI text

    @classmethod
    def from_config(cls, config: Mapping) -> BookRules:
        return cls(
            lock_hour=setting(config, "BOOK_LOCK_HOUR"),
            slots=_slots(setting(config, "CLIMATE_SLOTS")),
            temperature_min=_number(setting(config, "CLIMATE_TEMPERATURE_MIN")),
            temperature_max=_number(setting(config, "CLIMATE_TEMPERATURE_MAX")),
            humidity_max=_number(setting(config, "CLIMATE_HUMIDITY_MAX")),
            areas=_areas(setting(config, "CLIMATE_AREAS")),
        )

    def locks_at(self, day: date) -> datetime:
        """The UTC moment after which entries dated `day` can no longer be written."""
        return datetime.combine(day + timedelta(days=1), time(self.lock_hour), LOCAL_TZ)

    def is_locked(self, day: date, now: datetime) -> bool:
        return as_utc(now) >= self.locks_at(day)

    def slot_moment(self, day: date, slot: time) -> datetime:
        return datetime.combine(day, slot, LOCAL_TZ)

    def out_of_range(self, temperature: Decimal, humidity: Decimal) -> list[str]:
        """The fields outside the limits."""
        fields = []
        if not self.temperature_min <= temperature <= self.temperature_max:
            fields.append("temperature")
        if humidity > self.humidity_max:
            fields.append("humidity")
        return fields
