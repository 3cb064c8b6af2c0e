"""A JSON parser that refuses bodies over ``DATA_UPLOAD_MAX_MEMORY_SIZE``.

Django enforces that limit when ``request.body`` is read, as an HTML 400; an API client
should get JSON and the proper status. This one checks the declared
length first and never reads more than the limit plus one byte; too much answers 413.
"""

from __future__ import annotations

import codecs
import json

from django.conf import settings
from rest_framework.exceptions import ParseError
from rest_framework.parsers import BaseParser
from rest_framework.renderers import JSONRenderer

from corpnet.api.exceptions import RequestTooLarge


class LimitedJSONParser(BaseParser):
    # Deliberately not a JSONParser subclass: DRF reads ``request.body`` for those itself,
    # and Django's oversize error there would become an HTML 400 instead of a JSON 413.
    media_type = "application/json"
    renderer_class = JSONRenderer

    def parse(self, stream, media_type=None, parser_context=None):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        request = (parser_context or {}).get("request")
        declared = request.META.get("CONTENT_LENGTH") if request is not None else None
        if limit is not None and declared and str(declared).isdigit() and int(declared) > limit:
            raise RequestTooLarge()
        raw = stream.read(limit + 1) if limit is not None else stream.read()
        if limit is not None and len(raw) > limit:
            raise RequestTooLarge()
        encoding = (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)
        try:
            text = codecs.decode(raw, encoding)
            return json.loads(text, parse_constant=_refuse_constant)
        except (ValueError, LookupError) as exc:
            raise ParseError(f"JSON parse error - {exc}") from None
        except RecursionError:
            # [[[[…]]]] nested deeper than Python's parser goes: a client's error, not ours.
            raise ParseError("JSON parse error - nested too deeply") from None


def _refuse_constant(name: str):
    # NaN and Infinity are not JSON; Python's parser accepts them unless told not to.
    raise ValueError(f"{name} is not valid JSON")
