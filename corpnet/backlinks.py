"""Back links that keep the filters: "← Clients" returns to the list as it was left.

``RememberListQueryMiddleware`` keeps, in the session, the query string of the last list
page each user saw (per list: orders, clients, staff…); ``{% list_url "clients:list" %}``
(a builtin tag) gives that list's URL with it. Nothing from the query string is trusted
as a URL: it is stored as the re-encoded ``request.GET`` and appended to our own
``reverse()``d path, so a link can only ever lead to that list.
"""

from __future__ import annotations

from django.urls import reverse

#: The list pages whose filters a back link keeps (URL names).
LISTS = frozenset({"orders:list", "clients:list", "staff:list", "staff:posts", "mailing:list", "prices:list"})
SESSION_KEY = "list_queries"
#: Longer query strings are not remembered (the list is then reached unfiltered).
MAX_QUERY = 2000


class RememberListQueryMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        if (
            match is not None
            and match.view_name in LISTS
            and request.method == "GET"
            and response.status_code == 200
            and getattr(request, "user", None) is not None
            and request.user.is_authenticated
        ):
            remember(request, match.view_name, request.GET.urlencode())
        return response


def remember(request, view_name: str, query: str) -> None:
    if len(query) > MAX_QUERY:
        query = ""
    queries = request.session.get(SESSION_KEY) or {}
    if queries.get(view_name, "") != query:  # write the session only when it changes
        request.session[SESSION_KEY] = {**queries, view_name: query}


def list_url(request, view_name: str) -> str:
    """``reverse(view_name)`` with the query string the user last had on that list."""
    url = reverse(view_name)
    session = getattr(request, "session", None) if request is not None else None
    query = (session.get(SESSION_KEY) or {}).get(view_name, "") if session is not None else ""
    return f"{url}?{query}" if query else url
