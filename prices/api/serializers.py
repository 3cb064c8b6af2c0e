from __future__ import annotations

from rest_framework import serializers

from prices.models import Coin, Quote


class CoinSerializer(serializers.ModelSerializer):
    class Meta:
        model = Coin
        fields = ["id", "symbol", "name"]


class QuoteSerializer(serializers.ModelSerializer):
    symbol = serializers.CharField(source="coin.symbol", read_only=True)

    class Meta:
        model = Quote
        fields = [
            "id",
            "symbol",
            "source",
            "price_usd",
            "market_cap_usd",
            "change_24h_pct",
            "fetched_at",
            "status",
            "status_note",
        ]
