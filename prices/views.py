from django.contrib.auth.decorators import permission_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from corpnet import charts
from prices import selectors
from prices.models import Coin


@require_GET
@permission_required("prices.view_quote", raise_exception=True)
def price_list(request: HttpRequest) -> HttpResponse:
    rows = selectors.latest_prices()
    for row in rows:
        if row.quote is not None:
            row.sparkline_chart = charts.sparkline(
                row.sparkline, label=_("%(symbol)s, last 24 h") % {"symbol": row.coin.symbol}
            )
    demo_data = any(row.quote is not None and row.quote.source in selectors.DEMO_SOURCES for row in rows)
    return render(
        request, "prices/list.html", {"rows": rows, "sources": selectors.source_states(), "demo_data": demo_data}
    )


@require_GET
@permission_required("prices.view_quote", raise_exception=True)
def price_detail(request: HttpRequest, symbol: str) -> HttpResponse:
    coin = get_object_or_404(Coin, symbol=symbol.upper())
    range_key = request.GET.get("range", selectors.DEFAULT_RANGE)
    if range_key not in selectors.RANGES:
        range_key = selectors.DEFAULT_RANGE
    chart = charts.history_chart(
        selectors.coin_history(coin=coin, range_key=range_key),
        title=_("%(coin)s price in USD") % {"coin": str(coin)},
        empty_text=_("No prices in this range."),
    )
    page = Paginator(selectors.coin_quotes(coin=coin, range_key=range_key), selectors.QUOTES_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "prices/detail.html",
        {"coin": coin, "chart": chart, "page": page, "range_key": range_key, "ranges": list(selectors.RANGES)},
    )
