"""datetime: the current date and time in Morocco (Africa/Casablanca), with the Hijri date.

Morocco's offset changes around Ramadan, so the zone database (``zoneinfo``, ``tzdata`` where the
system has none) is the only correct source; the Hijri date is the Umm al-Qura calendar from
``hijridate`` — official Moroccan dates can differ by a day, which the result says.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar
from zoneinfo import ZoneInfo

from siyada.agents.tools.base import ToolContext, ToolResult
from siyada.errors import MissingDependencyError

ZONE = "Africa/Casablanca"
WEEKDAYS_FR = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"]
WEEKDAYS_AR = ["الاثنين", "الثلاثاء", "الأربعاء", "الخميس", "الجمعة", "السبت", "الأحد"]


def now_in_morocco(now: datetime | None = None) -> dict[str, Any]:
    """The date facts an agent needs, for ``now`` (default: the current instant)."""
    try:
        from hijridate import Gregorian
    except ImportError:
        raise MissingDependencyError("hijridate", "agents") from None
    local = (now or datetime.now(tz=ZoneInfo(ZONE))).astimezone(ZoneInfo(ZONE))
    hijri = Gregorian(local.year, local.month, local.day).to_hijri()
    return {
        "timezone": ZONE,
        "iso": local.isoformat(timespec="seconds"),
        "date": local.date().isoformat(),
        "time": local.strftime("%H:%M"),
        "utc_offset": local.strftime("%z"),
        "weekday_fr": WEEKDAYS_FR[local.weekday()],
        "weekday_ar": WEEKDAYS_AR[local.weekday()],
        "hijri": hijri.isoformat(),
        "hijri_text_ar": f"{hijri.day} {hijri.month_name('ar')} {hijri.year}",
        "hijri_note": "Umm al-Qura calendar; the official Moroccan date may differ by one day.",
    }


class Clock:
    name = "datetime"
    description = "Current date, time and weekday in Morocco (Africa/Casablanca), with the Hijri date."
    parameters: ClassVar[dict[str, Any]] = {"type": "object", "properties": {}}

    def __init__(self, config: dict[str, Any], context: ToolContext) -> None:
        pass

    def run(self, arguments: dict[str, Any]) -> ToolResult:
        import json

        return ToolResult(content=json.dumps(now_in_morocco(), ensure_ascii=False))
