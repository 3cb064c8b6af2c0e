"""Admin views of prices: read-only, because quotes come only from the scraper."""

from django.contrib import admin

from corpnet.admin import ReadOnlyAdmin
from prices.models import Coin, Quote, SourceStatus


@admin.register(Coin)
class CoinAdmin(ReadOnlyAdmin):
    list_display = ["symbol", "name"]
    search_fields = ["symbol", "name"]


@admin.register(Quote)
class QuoteAdmin(ReadOnlyAdmin):
    list_display = ["coin", "source", "price_usd", "status", "change_24h_pct", "market_cap_usd", "fetched_at"]
    list_filter = ["status", "source", "coin"]
    list_select_related = ["coin"]
    date_hierarchy = "fetched_at"
    show_full_result_count = False


@admin.register(SourceStatus)
class SourceStatusAdmin(ReadOnlyAdmin):
    list_display = ["source", "failing", "last_run_at", "last_success_at", "last_stored", "last_error"]
