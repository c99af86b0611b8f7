import pytest

from portal.auth import services as auth
from portal.contacts import invitations, units
from portal.contacts.models import ContactProfile
from portal.extensions import db
from tests.conftest import PASSWORD
from tests.test_html_valid import vnu  # noqa: F401 (a fixture for test_html.py)


@pytest.fixture
def make_contact(app):
    """Factory: a contact person with a login (PASSWORD) and a profile; returns the profile id."""
    counter = iter(range(1, 1000))

    def factory(name="Test Person", administration="SOF", **fields):
        n = next(counter)
        data = {
            "name": name,
            "email": f"kontakt{n}@example.com",
            "administration": administration,
            "centre": "Rådgivningscenter København",
            "team": "Team A",
            "phone": "30123456",
            "areas": ["misbrug"],
            **fields,
        }
        with app.app_context():
            units.ensure(data["administration"], data["centre"], data["team"])  # the lists
            profile = invitations.create_contact(data, actor=None)
            auth.set_password(profile.user, PASSWORD)
            db.session.commit()
            return profile.id

    return factory


@pytest.fixture
def get_profile(app):
    def get(profile_id):
        with app.app_context():
            profile = db.session.get(ContactProfile, profile_id)
            if profile is None:
                return None
            snapshot = {
                c: getattr(profile, c)
                for c in (
                    "email",
                    "phone",
                    "job_title",
                    "version",
                    "confirmed_at",
                    "administration",
                    "photo",
                )
            }
            snapshot.update(
                name=profile.name,
                team=str(profile.team or ""),  # the list entry's name
                areas=profile.area_names,
                user_email=profile.user.email,
                role=profile.user.role,
            )
            return snapshot

    return get
