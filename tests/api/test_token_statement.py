"""The token lookup (`api.authentication.token_with_person`, one written-out statement) against its
rule written out as plain Python, over generated people and tokens.

The rule: a key stands for the token stored with its hash unless that token is revoked; the token
comes with its person and the person's organisation (none for people without one). Expiry and a
deactivated person are the authentication's to refuse (tests/api/test_api_auth.py), not the lookup's."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pytest

from accounts.models import Role
from api.authentication import token_with_person
from api.keys import key_hash
from api.models import ApiToken
from tests.factories import ApiTokenFactory, OrganisationFactory, UserFactory, VendorFactory

pytestmark = pytest.mark.django_db
NOON = datetime(2026, 6, 1, 10, tzinfo=UTC)


def generate(seed: int) -> dict[str, tuple[int, int, int | None] | None]:
    """People of customers and of a vendor and people without organisation, some deactivated, with
    zero to three tokens each: live, revoked, expired, never used. Returns {secret: (token, person,
    organisation) or None when revoked}, plus secrets nobody was given."""
    rng = random.Random(seed)
    organisations = [OrganisationFactory(), OrganisationFactory(), VendorFactory(), None]
    expected: dict[str, tuple[int, int, int | None] | None] = {}
    for number in range(8):
        organisation = rng.choice(organisations)
        role = Role.AGENT if organisation is None or organisation.kind != "customer" else Role.CONTACT
        person = UserFactory(organisation=organisation, role=role, is_active=rng.random() > 0.2)
        for index in range(rng.randint(0, 3)):
            secret = f"hdt_{seed}-{number}-{index}-{rng.getrandbits(64):x}"
            revoked = rng.random() < 0.35
            token = ApiTokenFactory(
                user=person, secret=secret,
                revoked_at=NOON if revoked else None,
                expires_at=rng.choice([None, NOON - timedelta(days=1), NOON + timedelta(days=30)]),
                last_used_at=rng.choice([None, NOON]),
            )
            expected[secret] = None if revoked else (token.pk, person.pk, organisation.pk if organisation else None)
    for index in range(3):
        expected[f"hdt_unknown-{seed}-{index}"] = None
    return expected


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_lookup_finds_exactly_the_unrevoked_token_with_its_person(seed):
    expected = generate(seed)
    assert any(expected.values()) and None in expected.values()
    for secret, row in expected.items():
        token = token_with_person(key_hash(secret))
        if row is None:
            assert token is None, secret
            continue
        organisation = token.user.organisation
        assert (token.pk, token.user.pk, organisation.pk if organisation else None) == row, secret
        assert token.user_id == token.user.pk and token.user.organisation_id == row[2]


def _same_row(found, stored):
    assert found is not None and not found._state.adding
    for field in type(stored)._meta.concrete_fields:
        assert getattr(found, field.attname) == getattr(stored, field.attname), field.name


@pytest.mark.parametrize("with_organisation", [True, False])
def test_the_rows_are_complete_saved_instances_from_one_statement(with_organisation, django_assert_num_queries):
    person = UserFactory(organisation=OrganisationFactory() if with_organisation else None, role=Role.CONTACT)
    token = ApiTokenFactory(user=person, secret="hdt_complete", expires_at=NOON, last_used_at=NOON)
    with django_assert_num_queries(1):
        found = token_with_person(key_hash("hdt_complete"))
    stored = ApiToken.objects.select_related("user__organisation").get(pk=token.pk)
    with django_assert_num_queries(0):
        _same_row(found, stored)
        _same_row(found.user, stored.user)
        if with_organisation:
            _same_row(found.user.organisation, stored.user.organisation)
        else:
            assert found.user.organisation is None
    assert found.expires_at.tzinfo is not None  # a datetime, also on SQLite
