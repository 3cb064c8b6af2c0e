"""Per-user throttling whose rates are read when a request arrives.

DRF's throttles copy ``DEFAULT_THROTTLE_RATES`` when their module is imported, so a rate
changed later (a test's ``settings`` fixture, a reloaded setting) would be ignored.
"""

from __future__ import annotations

from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle


class UserThrottle(UserRateThrottle):
    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)


class AnonThrottle(AnonRateThrottle):
    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)
