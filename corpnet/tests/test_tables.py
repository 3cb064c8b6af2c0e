"""Column specs: the text a cell shows is what the template filters would show."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.template import engines
from django.urls import reverse
from django.utils import translation

from corpnet.tables import ShownText, url_with_id

VALUES = {
    "text": [12345, Decimal("1.5"), 2.25, "Иванова <b>", None, True],
    "number": [7, Decimal("1234.5")],
    "money": [Decimal("1937124.91"), Decimal("0"), None],
    "datetime": [datetime(2026, 3, 1, 21, 30, tzinfo=ZoneInfo("UTC")), None],
}
TEMPLATES = {
    "text": '{{ v|default_if_none:"" }}',
    "number": '{{ v|default_if_none:"" }}',
    "money": "{{ v|money }}",
    "datetime": '{{ v|date:"SHORT_DATETIME_FORMAT" }}',
}


@pytest.mark.parametrize("language", ["ru", "en"])
@pytest.mark.parametrize("kind", list(VALUES))
def test_a_cells_text_is_what_the_templates_filter_gives(kind, language):
    template = engines["django"].from_string("{% autoescape off %}" + TEMPLATES[kind] + "{% endautoescape %}")
    with translation.override(language):
        shown = ShownText()
        for value in VALUES[kind]:
            assert shown(kind, value) == template.render({"v": value}), (kind, language, value)


def test_links_built_from_one_reversed_url_are_reverses_own():
    url = url_with_id("orders:detail")
    for pk in (1, 42, 10**12):
        assert url(pk) == reverse("orders:detail", args=[pk])
    assert url(None) == ""
