"""Issue 14 #4: migration 0009 turns free-text centres and teams into list entries, merging
ways of writing that differ only in case or spacing, and writes each area one way; on SQLite
and PostgreSQL, and back down."""

import pytest
import sqlalchemy as sa
from flask_migrate import downgrade, upgrade

from portal.extensions import db
from tests.conftest import drop_schema, make_test_app

BEFORE = "0008_page_redirects_and_model"

# (name, administration, centre, team, areas) as people typed them before the lists
PEOPLE = [
    ("Anne", "BIF", "Jobcenter København", "Hotline", ["misbrug", "grøn linie"]),
    ("Bo", "BIF", "jobcenter  københavn ", "hotline", ["Misbrug"]),
    ("Cai", "BIF", "Jobcenter København", "Team Integration", [" misbrug", "SKP"]),
    ("Dea", "SOF", "Jobcenter København", "Hotline", ["Grøn linie"]),  # SOF's own
    ("Eva", "SOF", "", "Voksenteam Nord", []),  # a team without a centre
    ("Finn", "SOF", "", "", ["Grøn  linie", "grøn linie"]),
]


@pytest.fixture
def old_schema(database_url, tmp_path):
    app = make_test_app(database_url, tmp_path)
    drop_schema(app)
    with app.app_context():
        upgrade(revision=BEFORE)
        with db.engine.begin() as conn:
            for n, (name, administration, centre, team, areas) in enumerate(PEOPLE, start=1):
                conn.execute(
                    sa.text(
                        'INSERT INTO "user" (id, email, name, role, active, password_hash, '
                        "session_token, created_at, is_demo) VALUES (:id, :email, :name, "
                        "'contact', :t, NULL, :token, CURRENT_TIMESTAMP, :f)"
                    ),
                    {
                        "id": n,
                        "email": f"p{n}@example.com",
                        "name": name,
                        "token": f"t{n}",
                        "t": True,
                        "f": False,
                    },
                )
                conn.execute(
                    sa.text(
                        "INSERT INTO contact_profile (id, user_id, job_title, administration, "
                        "centre, team, workplace, email, phone, about, photo_version, "
                        "confirmed_at, updated_at, version, is_demo) VALUES (:id, :id, '', "
                        ":adm, :centre, :team, '', :email, '', '', 0, CURRENT_TIMESTAMP, "
                        "CURRENT_TIMESTAMP, 1, :f)"
                    ),
                    {
                        "id": n,
                        "adm": administration,
                        "centre": centre,
                        "team": team,
                        "email": f"p{n}@example.com",
                        "f": False,
                    },
                )
                for area in areas:
                    slug = area.strip().lower().replace("ø", "oe").replace(" ", "-")
                    slug = "-".join(s for s in slug.split("-") if s)
                    conn.execute(
                        sa.text("INSERT INTO contact_area VALUES (:p, :name, :slug)"),
                        {"p": n, "name": area.strip(), "slug": slug},
                    )
    yield app
    drop_schema(app)
    with app.app_context():
        db.engine.dispose()


def units(conn) -> dict[str, tuple]:
    rows = conn.execute(
        sa.text(
            "SELECT u.name, c.administration, c.name, t.name FROM contact_profile p "
            'JOIN "user" u ON u.id = p.user_id '
            "LEFT JOIN contact_centre c ON c.id = p.centre_id "
            "LEFT JOIN contact_team t ON t.id = p.team_id"
        )
    ).all()
    return {r[0]: tuple(r[1:]) for r in rows}


def areas(conn) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for name, area in conn.execute(
        sa.text(
            "SELECT u.name, a.name FROM contact_area a JOIN contact_profile p "
            'ON p.id = a.profile_id JOIN "user" u ON u.id = p.user_id ORDER BY a.name'
        )
    ):
        found.setdefault(name, []).append(area)
    return found


def test_free_text_becomes_one_entry_per_way_of_writing(old_schema):
    with old_schema.app_context():
        upgrade()
        with db.engine.connect() as conn:
            assert units(conn) == {
                "Anne": ("BIF", "Jobcenter København", "Hotline"),
                "Bo": ("BIF", "Jobcenter København", "Hotline"),
                "Cai": ("BIF", "Jobcenter København", "Team Integration"),
                "Dea": ("SOF", "Jobcenter København", "Hotline"),
                "Eva": ("SOF", "Center ikke angivet", "Voksenteam Nord"),
                "Finn": (None, None, None),
            }
            centres = conn.execute(sa.text("SELECT count(*) FROM contact_centre")).scalar()
            teams = conn.execute(sa.text("SELECT count(*) FROM contact_team")).scalar()
            assert (centres, teams) == (3, 4)  # BIF's and SOF's Jobcenter are two
            assert areas(conn) == {
                "Anne": ["grøn linie", "misbrug"],
                "Bo": ["misbrug"],
                "Cai": ["SKP", "misbrug"],
                "Dea": ["grøn linie"],
                "Finn": ["grøn linie"],  # two spellings on one profile: once
            }
        downgrade(revision=BEFORE)
        with db.engine.connect() as conn:
            rows = conn.execute(
                sa.text("SELECT user_id, centre, team FROM contact_profile ORDER BY user_id")
            ).all()
            assert [tuple(r) for r in rows] == [
                (1, "Jobcenter København", "Hotline"),
                (2, "Jobcenter København", "Hotline"),
                (3, "Jobcenter København", "Team Integration"),
                (4, "Jobcenter København", "Hotline"),
                (5, "Center ikke angivet", "Voksenteam Nord"),
                (6, "", ""),
            ]
            assert areas(conn)["Anne"] == ["grøn linie", "misbrug"]  # kept through the rebuild
