"""The price pages: login and permission, constant queries, flags, escaping, ranges."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from prices import services
from prices.models import Coin

pytestmark = pytest.mark.django_db


@pytest.fixture
def history(make_quote):
    """Three coins, two sources, a day of hourly quotes."""
    for symbol, name, price in [("BTC", "Bitcoin", 13000), ("ETH", "Ethereum", 400), ("DOGE", "Dogecoin", "0.0026")]:
        for hour in range(24):
            for source in ("coingecko-api", "binance-api"):
                make_quote(
                    symbol,
                    str(Decimal(str(price)) * (1 + Decimal(hour) / 1000)),
                    name=name,
                    source=source,
                    ago=timedelta(hours=23 - hour),
                    change_24h_pct=Decimal("1.5"),
                    market_cap_usd=Decimal(price) * 10**6 if source == "coingecko-api" else None,
                )


def test_the_list_needs_a_login(client):
    response = client.get(reverse("prices:list"))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_the_pages_need_the_view_permission(client, cast, history):
    client.force_login(cast.outsider)
    assert client.get(reverse("prices:list")).status_code == 403
    assert client.get(reverse("prices:detail", args=["BTC"])).status_code == 403


def test_the_list_shows_the_latest_price_per_coin_with_source_and_sparkline(client, cast, history):
    client.force_login(cast.employee)
    response = client.get(reverse("prices:list"))
    assert response.status_code == 200
    html = response.content.decode()
    assert html.index('data-symbol="BTC"') < html.index('data-symbol="ETH"') < html.index('data-symbol="DOGE"')
    assert "13,299.00" in html  # the newest BTC price, 13000 × 1.023
    assert html.count('class="sparkline"') == 3
    assert "stale" not in html.split("<h2>")[0].replace("prices.css", "")


def test_the_list_makes_the_same_number_of_queries_for_3_or_30_coins(
    client, cast, history, make_quote, django_assert_max_num_queries
):
    client.force_login(cast.employee)
    with django_assert_max_num_queries(11) as small:
        client.get(reverse("prices:list"))
    for n in range(30):
        for hour in range(5):
            make_quote(f"C{n}", "2", source="binance-api", ago=timedelta(hours=hour))
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(reverse("prices:list")).content.count(b'class="sparkline"') == 33


def test_a_stale_price_is_flagged(client, cast, make_quote, settings):
    settings.PRICES_STALE_MINUTES = 30
    make_quote("BTC", "13000", ago=timedelta(hours=2))
    make_quote("ETH", "400", ago=timedelta(minutes=1))
    client.force_login(cast.employee)
    html = client.get(reverse("prices:list")).content.decode()
    assert 'data-symbol="BTC" class="stale"' in html
    assert 'data-symbol="ETH" class="stale"' not in html


def test_a_failing_source_is_flagged_with_its_last_error(client, cast, history):
    services.source_record_success(source="coingecko-api", stored=3, at=timezone.now())
    services.source_record_failure(
        source="binance-api", error="HTTP 503 from https://api.binance.com", at=timezone.now()
    )
    client.force_login(cast.employee)
    html = client.get(reverse("prices:list")).content.decode()
    row = html[html.index('data-source="binance-api"') :]
    row = row[: row.index("</tr>")]
    assert 'class="failing"' in row and "HTTP 503 from https://api.binance.com" in row
    assert "never run" in html  # the HTML sources of the settings have not run yet


def test_a_coin_name_with_markup_is_escaped_everywhere(client, cast, make_quote):
    Coin.objects.create(symbol="EVIL", name="<script>alert(1)</script>")
    make_quote("EVIL", "1.5")
    make_quote("EVIL", "1.6", source="binance-api")
    services.source_record_failure(source="<img src=x onerror=alert(2)>", error="<b>bad</b>", at=timezone.now())
    client.force_login(cast.employee)
    for url in (reverse("prices:list"), reverse("prices:detail", args=["EVIL"]), reverse("home")):
        html = client.get(url).content.decode()
        assert "<script>alert(1)</script>" not in html
        assert "<img src=x" not in html and "<b>bad</b>" not in html
    assert (
        "&lt;script&gt;alert(1)&lt;/script&gt;" in client.get(reverse("prices:detail", args=["EVIL"])).content.decode()
    )


def test_the_detail_page_draws_one_line_per_source_and_lists_the_quotes(client, cast, history):
    client.force_login(cast.employee)
    response = client.get(reverse("prices:detail", args=["btc"]))
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('class="series"') == 2
    assert 'data-series="binance-api"' in html and 'data-series="coingecko-api"' in html
    assert html.count('<tr class="status-') == 48


def test_the_detail_page_range_limits_the_chart_and_the_table(client, cast, history, make_quote):
    make_quote("BTC", "12000", ago=timedelta(days=10))
    client.force_login(cast.employee)
    assert client.get(reverse("prices:detail", args=["BTC"]) + "?range=7d").content.count(b'<tr class="status-') == 48
    assert client.get(reverse("prices:detail", args=["BTC"]) + "?range=all").content.count(b'<tr class="status-') == 49
    # An unknown range falls back to the default instead of failing.
    assert client.get(reverse("prices:detail", args=["BTC"]) + "?range=<x>").status_code == 200


def test_the_detail_page_queries_do_not_grow_with_history(
    client, cast, history, make_quote, django_assert_max_num_queries
):
    client.force_login(cast.employee)
    url = reverse("prices:detail", args=["BTC"]) + "?range=all"
    with django_assert_max_num_queries(12) as before:
        client.get(url)
    for day in range(2, 40):
        make_quote("BTC", "13000", source="coinmarketcap-html", ago=timedelta(days=day))
    with django_assert_max_num_queries(len(before.captured_queries)):
        client.get(url)


def test_an_unknown_coin_is_a_404(client, cast):
    client.force_login(cast.employee)
    assert client.get(reverse("prices:detail", args=["NOPE"])).status_code == 404


def test_the_home_page_shows_the_latest_prices_to_those_who_may_see_them(client, cast, history):
    client.force_login(cast.employee)
    html = client.get(reverse("home")).content.decode()
    assert "home-prices" in html and 'data-symbol="BTC"' in html
    client.force_login(cast.outsider)
    assert "home-prices" not in client.get(reverse("home")).content.decode()


def test_long_ranges_are_drawn_from_hourly_or_daily_averages(client, cast, make_quote):
    # 100 days of quotes every 2 hours: "all" is drawn per day, "30d" per hour.
    for step in range(0, 100 * 12):
        make_quote("BTC", str(13000 + step), ago=timedelta(hours=2 * step))
    client.force_login(cast.employee)

    def points(range_key):
        html = client.get(reverse("prices:detail", args=["BTC"]) + f"?range={range_key}").content.decode()
        return len(html.split('class="series"')[1].split('points="')[1].split('"')[0].split())

    assert 100 <= points("all") <= 102
    assert 360 <= points("30d") <= 361
    assert points("7d") == 84


def test_the_home_page_block_costs_the_same_queries_for_any_number_of_coins(
    client, cast, make_quote, django_assert_max_num_queries
):
    make_quote("BTC", "13000")
    client.force_login(cast.employee)
    with django_assert_max_num_queries(22) as few:
        client.get(reverse("home"))
    for n in range(40):
        make_quote(f"C{n}", "2")
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(reverse("home")).content.count(b"data-symbol=") == 10  # the biggest ten


def test_an_unconfirmed_price_is_shown_as_such_never_as_current_nor_charted(client, cast, make_quote):
    make_quote("BTC", "13000", name="Bitcoin", ago=timedelta(minutes=6))
    make_quote("BTC", "0.5", source="coingecko-html", status="unconfirmed", status_note="no other source agrees")
    make_quote("ETH", "400", name="Ethereum", status="unconfirmed", status_note="no other source agrees")
    client.force_login(cast.employee)
    html = client.get(reverse("prices:list")).content.decode()
    current = html.split('data-symbol="BTC"')[1].split("</tr>")[0]
    assert "13,000.00" in current and "0.50" not in current
    pending = html.split('data-unconfirmed="BTC"')[1].split("</tr>")[0]
    assert "0.5000" in pending and "unconfirmed" in pending and "coingecko-html" in pending
    eth = html.split('data-symbol="ETH"')[1].split("</tr>")[0]
    assert "No confirmed price yet" in eth
    detail = client.get(reverse("prices:detail", args=["BTC"])).content.decode()
    assert detail.count('class="status-unconfirmed"') == 1 and "no other source agrees" in detail


def test_the_home_page_lists_confirmed_prices_only(client, cast, make_quote):
    make_quote("BTC", "13000", name="Bitcoin")
    make_quote("ETH", "400", name="Ethereum", status="unconfirmed")
    client.force_login(cast.employee)
    html = client.get("/").content.decode()
    assert 'data-symbol="BTC"' in html and 'data-symbol="ETH"' not in html


def test_the_chart_draws_confirmed_prices_only(make_quote):
    from prices.selectors import coin_history

    make_quote("BTC", "13000", ago=timedelta(minutes=10))
    make_quote("BTC", "0.5", source="x", status="unconfirmed")
    make_quote("BTC", "1", source="y", status="refused")
    series = coin_history(coin=Coin.objects.get(symbol="BTC"), range_key="24h")
    assert list(series) == ["coingecko-api"]


def test_demo_prices_are_labelled_as_demo_data(client, cast, make_quote):
    make_quote("BTC", "13000", source="demo-a")
    client.force_login(cast.employee)
    assert "Demo data" in client.get(reverse("prices:list")).content.decode()
