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
