"""Each parser on the real saved pages and on our own small pages with the same structure."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from prices.parsers import ParseError, binance_api, coingecko_api, coingecko_html, coinmarketcap_html, yahoo_html
from prices.sources import SOURCES


def by_symbol(result):
    return {q.symbol: q for q in result.quotes}


# --- the real pages (../shared/fixtures/prices) ---------------------------------------------


def test_coingecko_html_reads_the_real_2020_listing(real_pages):
    result = coingecko_html.parse((real_pages / "html/coingecko_home_2020.html").read_bytes())
    quotes = by_symbol(result)
    assert len(result.quotes) == 100
    assert quotes["BTC"].price_usd == Decimal("13059.2364798262")
    assert quotes["BTC"].name == "Bitcoin"
    assert quotes["ETH"].change_24h_pct is not None


def test_coinmarketcap_html_reads_the_real_2020_listing_from_next_data(real_pages):
    result = coinmarketcap_html.parse((real_pages / "html/coinmarketcap_home_2020-10.html").read_bytes())
    quotes = by_symbol(result)
    assert len(result.quotes) == 100
    assert quotes["BTC"].price_usd.quantize(Decimal("0.01")) == Decimal("13066.77")
    assert quotes["BTC"].market_cap_usd > Decimal("200000000000")


def test_coingecko_api_reads_the_real_coins_markets_response(real_pages):
    result = coingecko_api.parse((real_pages / "json/coingecko_coins-markets_2021.json").read_bytes())
    quotes = by_symbol(result)
    assert len(result.quotes) == 100
    assert quotes["BTC"].price_usd == Decimal("32797")
    assert quotes["DOGE"].price_usd == Decimal("0.228721")


def test_binance_api_reads_the_real_ticker_and_skips_dead_pairs(real_pages):
    result = binance_api.parse((real_pages / "json/binance_ticker-24hr_2020.json").read_bytes())
    quotes = by_symbol(result)
    assert quotes["BTC"].price_usd == Decimal("10694.87000000")
    assert "BCC" not in quotes
    assert "dead" in result.unpriced["BCC"]
    assert all(q.price_usd > 0 for q in result.quotes)


def test_no_parser_ever_produces_a_float(real_pages):
    pages = [
        (coingecko_html, "html/coingecko_home_2020.html"),
        (coinmarketcap_html, "html/coinmarketcap_home_2020-10.html"),
        (coingecko_api, "json/coingecko_coins-markets_2021.json"),
        (binance_api, "json/binance_ticker-24hr_2020.json"),
    ]
    for parser, name in pages:
        for quote in parser.parse((real_pages / name).read_bytes()).quotes:
            for value in (quote.price_usd, quote.market_cap_usd, quote.change_24h_pct):
                assert value is None or isinstance(value, Decimal), (name, quote)


def test_a_parser_refuses_another_sites_page(real_pages):
    with pytest.raises(ParseError, match="unknown markup"):
        coingecko_html.parse((real_pages / "html/yahoo_cryptocurrencies_2022.html").read_bytes())
    with pytest.raises(ParseError, match="unknown markup"):
        yahoo_html.parse((real_pages / "html/coinmarketcap_home_2020-10.html").read_bytes())
    with pytest.raises(ParseError, match="unknown markup"):
        coinmarketcap_html.parse((real_pages / "html/coingecko_home_2020.html").read_bytes())
    with pytest.raises(ParseError):
        binance_api.parse((real_pages / "json/coingecko_coins-markets_2021.json").read_bytes())
    with pytest.raises(ParseError):
        coingecko_api.parse((real_pages / "json/kraken_public-ticker_2019.json").read_bytes())


# --- our own small pages ------------------------------------------------------------------


def test_coingecko_html_reads_raw_numbers_not_display_text(page_bytes):
    quotes = by_symbol(coingecko_html.parse(page_bytes("coingecko.html")))
    assert quotes["BTC"].price_usd == Decimal("13059.2364798262")
    assert quotes["SHIB"].price_usd == Decimal("0.00000801")
    assert quotes["USDT"].change_24h_pct is None  # "?" on the page


def test_coingecko_html_fails_when_data_and_display_disagree(page_bytes):
    page = page_bytes("coingecko.html").replace(b"$13,059.24", b"$1,305.92")
    with pytest.raises(ParseError, match="BTC: the page's data says"):
        coingecko_html.parse(page)


def test_coingecko_html_does_not_guess_a_locale_it_cannot_read(page_bytes):
    # "$13.059,24" is another locale's display; it is not compared, the raw number is used.
    page = page_bytes("coingecko.html").replace(b"$13,059.24", b"$13.059,24")
    assert by_symbol(coingecko_html.parse(page))["BTC"].price_usd == Decimal("13059.2364798262")


def test_coingecko_html_fails_on_an_empty_table(page_bytes):
    page = page_bytes("coingecko.html")
    start, end = page.index(b"<tbody>"), page.index(b"</tbody>")
    with pytest.raises(ParseError, match="no rows"):
        coingecko_html.parse(page[: start + 7] + page[end:])


def test_coingecko_html_fails_on_a_changed_layout(page_bytes):
    page = page_bytes("coingecko.html").replace(b'data-target="price.price"', b'data-price="x"')
    with pytest.raises(ParseError, match="unknown markup in row 1"):
        coingecko_html.parse(page)


def test_coingecko_html_fails_on_garbage(page_bytes):
    with pytest.raises(ParseError, match="unknown markup"):
        coingecko_html.parse(page_bytes("garbage.html"))
    with pytest.raises(ParseError):
        coingecko_html.parse(b"\x00\xff\xfe binary junk")


def test_coingecko_html_fails_on_a_price_that_is_not_a_number(page_bytes):
    page = page_bytes("coingecko.html").replace(b'data-sort="408.5912931"', b'data-sort="N/A"')
    with pytest.raises(ParseError, match="ETH price: 'N/A' is not a number"):
        coingecko_html.parse(page)


def test_coinmarketcap_html_reads_next_data_and_marks_null_prices(page_bytes):
    result = coinmarketcap_html.parse(page_bytes("coinmarketcap.html"))
    quotes = by_symbol(result)
    assert quotes["BTC"].price_usd == Decimal("13066.767912177746")
    assert quotes["ETH"].market_cap_usd == Decimal("46342000000")
    assert "UNP" in result.unpriced


def test_coinmarketcap_html_fails_when_the_table_contradicts_the_json(page_bytes):
    page = page_bytes("coinmarketcap.html").replace(b"$409.64", b"$40.96")
    with pytest.raises(ParseError, match="ETH"):
        coinmarketcap_html.parse(page)


def test_coinmarketcap_html_fails_without_next_data(page_bytes):
    page = page_bytes("coinmarketcap.html").replace(b'id="__NEXT_DATA__"', b'id="other"')
    with pytest.raises(ParseError, match="__NEXT_DATA__"):
        coinmarketcap_html.parse(page)


def test_coinmarketcap_html_fails_when_next_data_changes_shape(page_bytes):
    page = page_bytes("coinmarketcap.html").replace(b'"listingLatest"', b'"listing"')
    with pytest.raises(ParseError, match="unknown __NEXT_DATA__ layout"):
        coinmarketcap_html.parse(page)


def test_coingecko_api_reads_ints_floats_and_nulls_as_decimals(page_bytes):
    result = coingecko_api.parse(page_bytes("coingecko_markets.json"))
    quotes = by_symbol(result)
    assert quotes["BTC"].price_usd == Decimal("13059")
    assert quotes["ETH"].price_usd == Decimal("408.59")
    assert quotes["USDT"].change_24h_pct is None
    assert result.unpriced == {"NEW": "current_price is null"}


def test_coingecko_api_accepts_numbers_sent_as_strings():
    data = json.dumps([{"id": "bitcoin", "symbol": "btc", "name": "Bitcoin", "current_price": "13059.10"}])
    assert coingecko_api.parse(data.encode()).quotes[0].price_usd == Decimal("13059.10")


def test_coingecko_api_fails_on_an_error_object_or_empty_list():
    with pytest.raises(ParseError, match="expected a JSON list"):
        coingecko_api.parse(b'{"status": {"error_code": 429, "error_message": "rate limited"}}')
    with pytest.raises(ParseError, match="no coins"):
        coingecko_api.parse(b"[]")
    with pytest.raises(ParseError, match="not valid JSON"):
        coingecko_api.parse(b"<html>Service unavailable</html>")


def test_binance_api_reads_string_numbers_and_records_dead_pairs(page_bytes):
    result = binance_api.parse(page_bytes("binance_ticker.json"))
    quotes = by_symbol(result)
    assert quotes["BTC"].price_usd == Decimal("13060.87000000")
    assert quotes["SHIB"].price_usd == Decimal("0.00000802")
    assert "ETHBTC" not in quotes and "ETH" in quotes
    assert result.unpriced == {"BCC": "pair BCCUSDT is dead (price 0)"}


def test_binance_api_refuses_a_number_that_is_not_a_string():
    with pytest.raises(ParseError, match="unknown response layout"):
        binance_api.parse(b'[{"symbol": "BTCUSDT", "lastPrice": 13060.87}]')


def test_yahoo_html_reads_the_real_2022_screener_from_value_attributes(real_pages):
    result = yahoo_html.parse((real_pages / "html/yahoo_cryptocurrencies_2022.html").read_bytes())
    quotes = by_symbol(result)
    assert len(result.quotes) == 25
    # The value attribute, not the live-updated text next to it ("41,614.54").
    assert quotes["BTC"].price_usd == Decimal("41602.32")
    assert quotes["BTC"].name == "Bitcoin"
    assert quotes["BTC"].market_cap_usd == Decimal("788351746048")


def test_yahoo_html_keeps_usd_rows_and_uses_the_value_not_the_text(page_bytes):
    quotes = by_symbol(yahoo_html.parse(page_bytes("yahoo.html")))
    assert set(quotes) == {"BTC", "ETH", "USDT"}  # BTC-EUR is not a dollar price
    assert quotes["BTC"].price_usd == Decimal("13059.24")
    assert quotes["BTC"].change_24h_pct == Decimal("2.3930771")


def test_yahoo_html_fails_on_a_consent_page_or_a_changed_row(page_bytes):
    with pytest.raises(ParseError, match="no tr.simpTblRow"):
        yahoo_html.parse(page_bytes("garbage.html"))
    page = page_bytes("yahoo.html").replace(b'data-field="regularMarketPrice"', b'data-field="price"', 1)
    with pytest.raises(ParseError, match="unknown markup in row 1"):
        yahoo_html.parse(page)


# --- display text in the page's declared language -------------------------------------------


def test_a_german_page_displays_are_read_the_german_way(page_bytes):
    page = page_bytes("coingecko.html").replace(b'lang="en"', b'lang="de"').replace(b"$13,059.24", b"$13.059,24")
    assert by_symbol(coingecko_html.parse(page))["BTC"].price_usd == Decimal("13059.2364798262")


def test_a_german_thousands_point_exposes_a_raw_value_read_as_a_decimal(page_bytes):
    # The hostile case: raw 54.346 next to "$54.346", which in German means 54,346.
    page = (
        page_bytes("coingecko.html")
        .replace(b'lang="en"', b'lang="de-DE"')
        .replace(b'data-sort="13059.2364798262"', b'data-sort="54.346"')
        .replace(b"$13,059.24", b"$54.346")
    )
    with pytest.raises(ParseError, match=r"BTC: the page's data says 54.346 but it displays '\$54.346'"):
        coingecko_html.parse(page)


# --- CoinMarketCap: the table and the embedded JSON agree row by row ------------------------

CMC_2020_01_ROW = (
    '<tr class="cmc-table-row" style="display:table-row">'
    '<td class="cmc-table__cell cmc-table__cell--sort-by__rank">{rank}</td>'
    '<td class="cmc-table__cell cmc-table__cell--sort-by__name"><div>'
    '<a href="/currencies/{slug}/" class="cmc-link">{name}</a></div></td>'
    '<td class="cmc-table__cell cmc-table__cell--sort-by__symbol"><div>{symbol}</div></td>'
    '<td class="cmc-table__cell cmc-table__cell--sort-by__price">'
    '<a href="/currencies/{slug}/markets/" class="cmc-link">{price}</a></td></tr>'
)


def cmc_2020_01(rows, listing) -> bytes:
    """A page in CoinMarketCap's 2020-01 markup: rows without p.coin-item-symbol, plus the JSON."""
    table = "".join(CMC_2020_01_ROW.format(rank=i, **row) for i, row in enumerate(rows, start=1))
    data = {"props": {"initialState": {"cryptocurrency": {"listingLatest": {"data": listing}}}}}
    return (
        '<!DOCTYPE html><html lang="en"><body><table><tbody>'
        + table
        + '</tbody></table><script id="__NEXT_DATA__" type="application/json">'
        + json.dumps(data)
        + "</script></body></html>"
    ).encode()


LISTING = [
    {"id": 1, "name": "Bitcoin", "symbol": "BTC", "slug": "bitcoin", "quote": {"USD": {"price": "8721.62"}}},
    {"id": 1027, "name": "Ethereum", "symbol": "ETH", "slug": "ethereum", "quote": {"USD": {"price": "166.98"}}},
]
ROWS = [
    {"slug": "bitcoin", "name": "Bitcoin", "symbol": "BTC", "price": "$8,721.62"},
    {"slug": "ethereum", "name": "Ethereum", "symbol": "ETH", "price": "$166.98"},
]


def test_coinmarketcap_2020_01_markup_is_compared_with_its_json():
    quotes = by_symbol(coinmarketcap_html.parse(cmc_2020_01(ROWS, LISTING)))
    assert quotes["BTC"].price_usd == Decimal("8721.62")


def test_coinmarketcap_2020_01_prices_swapped_in_the_json_fail_the_page():
    swapped = json.loads(json.dumps(LISTING))
    swapped[0]["quote"], swapped[1]["quote"] = swapped[1]["quote"], swapped[0]["quote"]
    with pytest.raises(ParseError, match="BTC: the page's data says 166.98 but it displays '\\$8,721.62'"):
        coinmarketcap_html.parse(cmc_2020_01(ROWS, swapped))


def test_coinmarketcap_names_or_symbols_swapped_between_table_and_json_fail_the_page():
    renamed = json.loads(json.dumps(LISTING))
    renamed[1]["name"] = "Bitcoin"
    with pytest.raises(ParseError, match="ETH: the table names it 'Ethereum'"):
        coinmarketcap_html.parse(cmc_2020_01(ROWS, renamed))
    resymboled = [dict(ROWS[0], symbol="ETH"), ROWS[1]]
    with pytest.raises(ParseError, match="BTC: the table shows 'ETH'"):
        coinmarketcap_html.parse(cmc_2020_01(resymboled, LISTING))


def test_coinmarketcap_a_table_row_missing_from_the_json_fails_the_page():
    extra = [*ROWS, {"slug": "fakecoin", "name": "Fake", "symbol": "FAKE", "price": "$1.00"}]
    with pytest.raises(ParseError, match="fakecoin"):
        coinmarketcap_html.parse(cmc_2020_01(extra, LISTING))


# --- today's markup (2025), each on its real saved page, and the dispatch ----------------------


def test_coingecko_html_reads_the_real_2025_german_page(real_pages):
    result = coingecko_html.parse((real_pages / "html" / "coingecko_home-de_2025.html").read_bytes())
    quotes = by_symbol(result)
    assert len(result.quotes) == 100  # two identical tables, de-duplicated by data-coin-id
    assert quotes["BTC"].price_usd == Decimal("122564.04282731739")  # displayed "$122.564"
    assert quotes["ETH"].price_usd.quantize(Decimal("0.01")) == Decimal("4494.57")  # displayed "$4.494,57"
    assert quotes["BTC"].name == "Bitcoin" and quotes["ETH"].name == "Ethereum"
    assert all(isinstance(q.price_usd, Decimal) for q in result.quotes)


def test_coingecko_2025_page_whose_raw_price_contradicts_its_german_display_fails(real_pages):
    page = (real_pages / "html" / "coingecko_home-de_2025.html").read_bytes()
    hostile = page.replace(b'data-price-usd="122564.04282731739"', b'data-price-usd="122.56404282731739"').replace(
        b'data-sort="122564.04282731739"', b'data-sort="122.56404282731739"'
    )
    with pytest.raises(ParseError, match="BTC: the page's data says 122.564"):
        coingecko_html.parse(hostile)


def test_coingecko_2025_tables_that_disagree_fail_the_page(real_pages):
    page = (real_pages / "html" / "coingecko_home-de_2025.html").read_bytes()
    # Only the second table's BTC row changes (its raw numbers and its display agree).
    first = page.index(b'data-price-usd="122564.04282731739"')
    second = page.rindex(b"<td", 0, page.index(b'data-price-usd="122564.04282731739"', first + 1))
    row_end = page.index(b"</tr>", second)
    changed = page[second:row_end].replace(b"122564.04282731739", b"99999").replace(b"$122.564", b"$99.999")
    with pytest.raises(ParseError, match="BTC: the page's two tables disagree"):
        coingecko_html.parse(page[:second] + changed + page[row_end:])


def test_coinmarketcap_html_reads_the_real_2025_page_from_its_table(real_pages):
    result = coinmarketcap_html.parse((real_pages / "html" / "coinmarketcap_home_2025.html").read_bytes())
    quotes = by_symbol(result)
    assert quotes["BTC"].price_usd == Decimal("105469.75")
    assert quotes["ETH"].price_usd == Decimal("2439.75")
    assert quotes["LTC"].price_usd == Decimal("84.39") and quotes["LTC"].name == "Litecoin"  # a lazy row
    # Lazy rows round to cents: "$0.00" for SHIB is no price at all.
    assert "SHIB" not in quotes and "too rounded" in result.unpriced["SHIB"]


def test_coinmarketcap_2025_page_without_a_declared_language_fails(real_pages):
    page = (real_pages / "html" / "coinmarketcap_home_2025.html").read_bytes().replace(b'<html lang="en"', b"<html", 1)
    with pytest.raises(ParseError, match="declares no language"):
        coinmarketcap_html.parse(page)


@pytest.mark.parametrize(
    ("parser", "page"),
    [
        (coingecko_html, "coinmarketcap_home_2025.html"),
        (coinmarketcap_html, "coingecko_home-de_2025.html"),
        (coinmarketcap_html, "yahoo_cryptocurrencies_2022.html"),
    ],
)
def test_the_html_sources_refuse_markup_they_do_not_know(real_pages, parser, page):
    with pytest.raises(ParseError, match="unknown markup|__NEXT_DATA__"):
        parser.parse((real_pages / "html" / page).read_bytes())


#: The real files each source reads. Every other real file — another site's page, a single
#: coin's page, an API answer of another shape — must be refused with a ParseError, never
#: read as prices and never a crash of another kind.
OWN_PAGES = {
    "coingecko-html": {"html/coingecko_home_2020.html", "html/coingecko_home-de_2025.html"},
    "coinmarketcap-html": {"html/coinmarketcap_home_2020-10.html", "html/coinmarketcap_home_2025.html"},
    "yahoo-html": {"html/yahoo_cryptocurrencies_2022.html"},
    "coingecko-api": {"json/coingecko_coins-markets_2021.json"},
    "binance-api": {"json/binance_ticker-24hr_2020.json"},
}


@pytest.mark.parametrize("name", sorted(SOURCES))
def test_a_source_refuses_every_real_page_that_is_not_its_own(real_pages, name):
    others = sorted(p for p in real_pages.glob("*/*") if p.relative_to(real_pages).as_posix() not in OWN_PAGES[name])
    assert len(others) >= 8
    for path in others:
        with pytest.raises(ParseError):
            SOURCES[name].parse(path.read_bytes())
