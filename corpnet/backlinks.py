"""Back links that keep the filters: "← Clients" returns to the list as it was left.

``RememberListQueryMiddleware`` keeps the query string of the last list page each browser
saw (per list: orders, clients, staff…) in a cookie — not the session, so a list page costs
no extra database write; ``{% list_url "clients:list" %}`` (a builtin tag) and
``list_url(request, "clients:list")`` give that list's URL with it. Nothing in the cookie is
trusted as a URL: it is parsed as a query string, re-encoded and appended to our own
``reverse()``d path, so a back link can only ever lead to that list.
"""

from __future__ import annotations

from django.http import QueryDict
from django.urls import reverse

#: The list pages whose filters a back link keeps (URL names).
LISTS = frozenset({"orders:list", "clients:list", "staff:list", "staff:posts", "mailing:list", "prices:list"})
#: Longer query strings are not remembered (the list is then reached unfiltered).
MAX_QUERY = 1500


def cookie_name(view_name: str) -> str:
    return "back_" + view_name.replace(":", "_")


class RememberListQueryMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        if match is not None and match.view_name in LISTS and request.method == "GET" and response.status_code == 200:
            query = request.GET.urlencode()
            name = cookie_name(match.view_name)
            if len(query) > MAX_QUERY:
                query = ""
            if request.COOKIES.get(name, "") != query:
                if query:
                    response.set_cookie(name, query, httponly=True, samesite="Lax", secure=request.is_secure())
                else:
                    response.delete_cookie(name, samesite="Lax")
        return response


def list_url(request, view_name: str) -> str:
    """``reverse(view_name)`` with the query string this browser last had on that list."""
    url = reverse(view_name)
    stored = request.COOKIES.get(cookie_name(view_name), "") if request is not None else ""
    query = QueryDict(stored[:MAX_QUERY]).urlencode() if stored else ""
    return f"{url}?{query}" if query else url
