"""The system check on the prices settings."""

from __future__ import annotations


def test_a_typo_in_the_sources_setting_is_a_system_check_error(settings):
    from prices.apps import check_price_settings

    settings.PRICES_SOURCES = ["coingecko-api", "coingeko-html"]
    assert [e.id for e in check_price_settings()] == ["prices.E001"]
    settings.PRICES_SOURCES = ["coingecko-api"]
    assert check_price_settings() == []
