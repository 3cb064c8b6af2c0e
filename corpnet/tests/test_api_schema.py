"""Schemathesis over the whole OpenAPI schema: no 500s, and no answer the schema does not describe.

Generated requests (valid and invalid bodies, query strings and ids) go through the real WSGI
application as the superuser, who may call every operation. The number of examples per
operation is bounded (``SCHEMATHESIS_MAX_EXAMPLES``, default 25) to keep the suite quick.
"""

from __future__ import annotations

import json
import os

import pytest

schemathesis = pytest.importorskip("schemathesis", reason="schemathesis is in requirements-dev.txt")

from hypothesis import HealthCheck, settings  # noqa: E402
from schemathesis.checks import not_a_server_error  # noqa: E402
from schemathesis.specs.openapi.checks import (  # noqa: E402
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

MAX_EXAMPLES = int(os.environ.get("SCHEMATHESIS_MAX_EXAMPLES", "25"))
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


@pytest.fixture
def wsgi_app():
    """The project's WSGI application, as a server would run it, inside the test's transaction.

    Django closes the database connection after each request when it is not in autocommit
    mode, i.e. inside the test's transaction; its own test client suspends that, so do we.
    """
    from django.core.signals import request_finished, request_started
    from django.core.wsgi import get_wsgi_application
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield get_wsgi_application()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def _some_quotes() -> None:
    from decimal import Decimal

    from django.utils import timezone

    from prices.parsers.base import ParsedQuote
    from prices.services import quotes_store

    quotes_store(
        source="coingecko-api",
        quotes=[ParsedQuote("BTC", "Bitcoin", Decimal("65000.5"), Decimal("1e12"), Decimal("-1.25"))],
        fetched_at=timezone.now(),
    )


@pytest.fixture
def api_token(db, cast):
    from django.core.cache import cache

    from accounts.api_tokens import issue
    from corpnet.testing import make_order

    cache.clear()  # throttling counters
    # A few real rows, so that generated small ids sometimes hit something to read, change or delete.
    for _ in range(3):
        make_order()
    _some_quotes()
    return issue(user=cast.admin)[1]


def _generated_schema() -> dict:
    # The same generator /api/schema/ serves (test_the_served_schema_is_the_one_tested checks).
    from drf_spectacular.generators import SchemaGenerator
    from drf_spectacular.renderers import OpenApiJsonRenderer

    return json.loads(OpenApiJsonRenderer().render(SchemaGenerator().get_schema(request=None, public=True)))


GENERATED = _generated_schema()
schema = schemathesis.openapi.from_dict(GENERATED)


def test_the_served_schema_is_the_one_tested(api_token):
    from rest_framework.test import APIClient

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {api_token}")
    response = client.get("/api/schema/?format=json")
    assert response.status_code == 200
    assert json.loads(response.content) == GENERATED


@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
def test_no_operation_answers_500_or_contradicts_the_schema(case, api_token, wsgi_app):
    case.call_and_validate(app=wsgi_app, headers={"Authorization": f"Token {api_token}"}, checks=CHECKS)
