"""The admin shows prices read-only: quotes come only from the scraper."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from prices import services

pytestmark = pytest.mark.django_db


def test_the_admin_lists_coins_quotes_and_sources(client, cast, make_quote):
    make_quote("BTC", "13000", name="Bitcoin")
    services.source_record_failure(source="binance-api", error="HTTP 503", at=timezone.now())
    client.force_login(cast.admin)
    for model in ("coin", "quote", "sourcestatus"):
        response = client.get(reverse(f"admin:prices_{model}_changelist"))
        assert response.status_code == 200, model
    assert b"HTTP 503" in client.get(reverse("admin:prices_sourcestatus_changelist")).content


def test_nobody_adds_or_edits_quotes_in_the_admin(client, cast, make_quote):
    quote = make_quote("BTC", "13000")
    client.force_login(cast.admin)
    assert client.get(reverse("admin:prices_quote_add")).status_code == 403
    response = client.post(reverse("admin:prices_quote_change", args=[quote.pk]), {"price_usd": "1"})
    assert response.status_code == 403
    quote.refresh_from_db()
    assert str(quote.price_usd).startswith("13000")
