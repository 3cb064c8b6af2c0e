"""The REST API's shared machinery: auth, permissions, pagination, errors, limits, schema.

Each app keeps its serializers and viewsets in ``<app>/api/``; ``corpnet.api.urls`` mounts
them all under ``/api/v1/``. Writes go through the apps' services, exactly like the pages.
"""
