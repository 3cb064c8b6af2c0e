"""Addresses Django's SMTP backend could not send to are refused where they are entered."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from corpnet.validators import validate_deliverable_email

BAD = [
    '"<script>alert(1)</script>"@mail.example',  # quoted local part holding markup
    '"john doe"@mail.example',
    "yad@ex\u2028ample.com",  # IDNA would silently drop the separator
    "a@" + "я" * 60 + ".ru",  # a label over 63 octets once IDNA-encoded
    "a@straße.example",  # IDNA 2003 maps it to another domain
    "a<b>@mail.example",
    "not-an-address",
]
GOOD = ["ivan.petrov@mail.example", "Ivan+news@Mail.Example", "anna@пример.рф", "o'brien@mail.example"]


@pytest.mark.parametrize("address", BAD)
def test_undeliverable_addresses_are_refused(address):
    with pytest.raises(ValidationError) as exc:
        validate_deliverable_email(address)
    assert exc.value.code == "undeliverable"


@pytest.mark.parametrize("address", GOOD)
def test_ordinary_addresses_pass(address):
    validate_deliverable_email(address)


@pytest.mark.django_db
def test_the_worker_form_and_the_apis_refuse_them(api, cast):
    from staff.forms import WorkerForm

    form = WorkerForm(data={"name": "X", "phone": "+79161234567", "email": BAD[0]})
    assert not form.is_valid() and "email" in form.errors
    response = api(cast.admin).post(
        "/api/v1/clients/",
        {"name": "A", "lastname": "B", "email": BAD[2], "phone": "+79031234567", "sum": "1.00"},
        format="json",
    )
    assert response.status_code == 400 and "email" in response.json()
