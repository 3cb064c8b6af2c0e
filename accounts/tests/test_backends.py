import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission

pytestmark = pytest.mark.django_db


def fresh(user):
    return get_user_model().objects.get(pk=user.pk)


def test_a_role_gives_exactly_its_groups_permissions(cast):
    hr = fresh(cast.hr)
    assert hr.has_perm("staff.change_worker")
    assert not hr.has_perm("mailing.send_mailing")
    assert not fresh(cast.outsider).has_perm("staff.view_worker")


def test_a_permission_granted_directly_counts_too(cast):
    user = cast.outsider
    user.user_permissions.add(Permission.objects.get(codename="view_order"))
    assert fresh(user).has_perm("orders.view_order")


def test_permissions_are_read_in_one_query(cast, django_assert_num_queries):
    user = fresh(cast.manager)
    user.user_permissions.add(Permission.objects.get(codename="view_client"))
    user = fresh(user)
    with django_assert_num_queries(1):
        assert user.has_perm("mailing.send_mailing")
        assert user.has_perm("clients.view_client")
        assert not user.has_perm("staff.delete_worker")


def test_an_inactive_user_has_no_permissions(cast):
    user = cast.hr
    user.is_active = False
    user.save()
    assert not fresh(user).has_perm("staff.view_worker")


def test_a_group_without_members_grants_nothing(cast):
    Group.objects.create(name="spare").permissions.add(Permission.objects.get(codename="delete_client"))
    assert not fresh(cast.employee).has_perm("clients.delete_client")


# --- get_user: the user and their permissions in one query -------------------------------


def load(user):
    from accounts.backends import ModelBackendOneQuery

    return ModelBackendOneQuery().get_user(user.pk)


def test_get_user_reads_the_user_and_every_permission_in_one_query(cast, django_assert_num_queries):
    cast.manager.user_permissions.add(Permission.objects.get(codename="view_client"))
    with django_assert_num_queries(1):
        user = load(cast.manager)
        assert user == cast.manager and user.last_login is None and user.date_joined == cast.manager.date_joined
        assert user.has_perm("mailing.send_mailing")
        assert user.has_perm("clients.view_client")
        assert not user.has_perm("staff.delete_worker")
        assert user.has_module_perms("orders")


def test_get_user_keeps_own_and_group_permissions_apart_as_modelbackend_does(cast):
    from django.contrib.auth.backends import ModelBackend

    cast.manager.user_permissions.add(Permission.objects.get(codename="view_client"))
    user, plain = load(cast.manager), fresh(cast.manager)
    backend = ModelBackend()
    assert user._user_perm_cache == backend.get_user_permissions(plain) == {"clients.view_client"}
    assert user._group_perm_cache == backend.get_group_permissions(plain)
    assert user.get_all_permissions() == backend.get_all_permissions(plain)


def test_a_user_without_permissions_is_loaded_with_none(cast, django_assert_num_queries):
    with django_assert_num_queries(1):
        user = load(cast.outsider)
        assert user == cast.outsider
        assert user.get_all_permissions() == set()


def test_get_user_gives_no_user_for_an_inactive_unknown_or_malformed_id(cast):
    from accounts.backends import ModelBackendOneQuery

    cast.hr.is_active = False
    cast.hr.save()
    backend = ModelBackendOneQuery()
    assert backend.get_user(cast.hr.pk) is None
    assert backend.get_user(10**9) is None
    assert backend.get_user("not-a-number") is None


def test_a_superuser_passes_every_check_without_a_query_and_lists_every_permission(cast, django_assert_num_queries):
    with django_assert_num_queries(1):
        user = load(cast.admin)
        assert user.is_superuser
        assert user.has_perm("staff.delete_worker") and user.has_module_perms("orders")
    assert user.get_all_permissions() == {
        f"{app}.{codename}" for app, codename in Permission.objects.values_list("content_type__app_label", "codename")
    }


def test_a_permission_change_takes_effect_on_the_next_request(client, cast):
    from conftest import PASSWORD

    client.login(username="outsider", password=PASSWORD)
    assert client.get("/orders/").status_code == 403
    cast.outsider.user_permissions.add(Permission.objects.get(codename="view_order"))
    assert client.get("/orders/").status_code == 200
    cast.outsider.user_permissions.clear()
    cast.outsider.groups.add(Group.objects.get(name="employee"))
    assert client.get("/orders/").status_code == 200
    cast.outsider.groups.clear()
    assert client.get("/orders/").status_code == 403


def test_a_user_deactivated_meanwhile_is_logged_out_on_the_next_request(client, cast):
    from conftest import PASSWORD

    client.login(username="employee", password=PASSWORD)
    assert client.get("/orders/").status_code == 200
    cast.employee.is_active = False
    cast.employee.save()
    assert client.get("/orders/").status_code == 302  # back to the login page


@pytest.mark.django_db(transaction=True)
def test_the_async_path_loads_the_user_with_their_permissions_too(cast):
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    from accounts.backends import ModelBackendOneQuery

    # A thread of its own: the browser tests leave an event loop running in this one.
    with ThreadPoolExecutor(1) as pool:
        user = pool.submit(asyncio.run, ModelBackendOneQuery().aget_user(cast.hr.pk)).result()
    assert user == cast.hr and "staff.change_worker" in user._perm_cache
