import re
from pathlib import Path

import pytest

from conftest import PASSWORD

PO = Path(__file__).resolve().parents[2] / "locale" / "ru" / "LC_MESSAGES" / "django.po"

pytestmark = pytest.mark.django_db


def test_every_message_has_a_russian_translation():
    text = PO.read_text(encoding="utf-8")
    entries = text.split("\n\n")[1:]
    # A msgstr is empty when neither its own line nor its continuation lines hold any text.
    untranslated = [e for e in entries if re.search(r'^msgstr(\[\d\])? ""$(?!\n")', e, re.M)]
    assert untranslated == []
    assert "#, fuzzy" not in text


def test_the_order_list_speaks_russian_after_switching(client, cast):
    client.login(username="employee", password=PASSWORD)
    client.post("/i18n/setlang/", {"language": "ru", "next": "/orders/"})
    response = client.get("/orders/")
    assert "Заказы" in response.text and "Фильтровать" in response.text
