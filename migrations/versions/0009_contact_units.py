"""Centres and teams become lists that the editors keep, and "Kan hjælpe med" areas are written
one way.

A profile's free-text centre and team become rows of ``contact_centre`` (per administration)
and ``contact_team`` (per centre) that the profile points to. Ways of writing a name that differ
only in case or spacing ("Jobcenter København", " jobcenter  København") become one entry,
named as most profiles wrote it. A team without a centre goes under "Center ikke angivet" in
its administration, for the editors to sort out. Areas with the same slug ("misbrug",
"Misbrug") get one name. The downgrade writes the names back as text; merged spellings stay
merged.

On SQLite, batch mode rebuilds ``contact_profile``, and dropping the old table with foreign
keys on deletes its areas (ON DELETE CASCADE): the areas are read first and written back.

Revision ID: 0009_contact_units
Revises: 0008_page_redirects_and_model
Create Date: 2026-12-01
"""

from collections import Counter, defaultdict

import sqlalchemy as sa
from alembic import op

revision = "0009_contact_units"
down_revision = "0008_page_redirects_and_model"
branch_labels = None
depends_on = None

NO_CENTRE = "Center ikke angivet"

profile = sa.table(
    "contact_profile",
    sa.column("id", sa.Integer),
    sa.column("administration", sa.String),
    sa.column("centre", sa.String),
    sa.column("team", sa.String),
    sa.column("centre_id", sa.Integer),
    sa.column("team_id", sa.Integer),
)
centre_table = sa.table(
    "contact_centre",
    sa.column("id", sa.Integer),
    sa.column("administration", sa.String),
    sa.column("name", sa.String),
    sa.column("key", sa.String),
    sa.column("version", sa.Integer),
)
team_table = sa.table(
    "contact_team",
    sa.column("id", sa.Integer),
    sa.column("centre_id", sa.Integer),
    sa.column("name", sa.String),
    sa.column("key", sa.String),
    sa.column("approved", sa.Boolean),
    sa.column("version", sa.Integer),
)
area = sa.table(
    "contact_area",
    sa.column("profile_id", sa.Integer),
    sa.column("name", sa.String),
    sa.column("slug", sa.String),
)


def _spaced(name):
    return " ".join((name or "").split())


def _fold(name):
    return _spaced(name).casefold()


def _most_written(spellings):
    """The spelling most profiles used; on a tie, a capitalised one, then the first."""
    counts = Counter(spellings)
    return min(counts, key=lambda s: (-counts[s], not s[:1].isupper(), s))


def _common_noun(name):
    """As ``lists._common_noun``: 'Misbrug' -> 'misbrug'; 'SKP' stays."""
    if name[:1].isupper() and not any(ch.isupper() for ch in name[1:]):
        return name[:1].lower() + name[1:]
    return name


def _create_tables():
    op.create_table(
        "contact_centre",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("administration", sa.String(length=10), nullable=False),
        sa.Column("name", sa.String(length=160), nullable=False),
        sa.Column("key", sa.String(length=160), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint("administration IN ('BIF', 'SOF')",
                           name=op.f("ck_contact_centre_administration_known")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contact_centre")),
        sa.UniqueConstraint("administration", "key", name=op.f("uq_contact_centre_administration")),
    )
    op.create_table(
        "contact_team",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("centre_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("key", sa.String(length=120), nullable=False),
        sa.Column("approved", sa.Boolean(), nullable=False),
        sa.Column("proposed_by_id", sa.Integer(), nullable=True),
        sa.Column("proposed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["centre_id"], ["contact_centre.id"],
                                name=op.f("fk_contact_team_centre_id_contact_centre")),
        sa.ForeignKeyConstraint(["proposed_by_id"], ["user.id"],
                                name=op.f("fk_contact_team_proposed_by_id_user"),
                                ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contact_team")),
        sa.UniqueConstraint("centre_id", "key", name=op.f("uq_contact_team_centre_id")),
    )
    with op.batch_alter_table("contact_team") as batch:
        batch.create_index(batch.f("ix_contact_team_centre_id"), ["centre_id"], unique=False)


def _convert_units(conn):
    """Free text -> list entries, and each profile pointed at its own."""
    rows = conn.execute(
        sa.select(profile.c.id, profile.c.administration, profile.c.centre, profile.c.team)
    ).all()
    centre_spellings = defaultdict(list)  # (administration, key) -> spellings
    team_spellings = defaultdict(list)  # ((administration, centre key), team key) -> spellings
    for row in rows:
        centre, team = _spaced(row.centre), _spaced(row.team)
        if team and not centre:
            centre = NO_CENTRE
        if centre:
            centre_spellings[(row.administration, _fold(centre))].append(centre)
        if team:
            team_spellings[((row.administration, _fold(centre)), _fold(team))].append(team)
    centre_ids = {}
    for (administration, key), spellings in sorted(centre_spellings.items()):
        centre_ids[(administration, key)] = conn.execute(sa.insert(centre_table).values(
            administration=administration, name=_most_written(spellings), key=key, version=1
        ).returning(centre_table.c.id)).scalar_one()
    team_ids = {}
    for (centre, key), spellings in sorted(team_spellings.items()):
        team_ids[(centre, key)] = conn.execute(sa.insert(team_table).values(
            centre_id=centre_ids[centre], name=_most_written(spellings), key=key,
            approved=True, version=1).returning(team_table.c.id)).scalar_one()
    for row in rows:
        centre, team = _spaced(row.centre), _spaced(row.team)
        if team and not centre:
            centre = NO_CENTRE
        centre_key = (row.administration, _fold(centre))
        conn.execute(sa.update(profile).where(profile.c.id == row.id).values(
            centre_id=centre_ids.get(centre_key) if centre else None,
            team_id=team_ids.get((centre_key, _fold(team))) if team else None))


def _normalised_areas(rows):
    """One name per slug (as most profiles wrote it, as a common noun), once per profile."""
    spellings = defaultdict(list)
    for row in rows:
        spellings[row.slug].append(_spaced(row.name))
    names = {slug: _common_noun(_most_written(s)) for slug, s in spellings.items()}
    return sorted({(row.profile_id, names[row.slug], row.slug) for row in rows})


def _write_areas(conn, rows):
    conn.execute(sa.delete(area))
    if rows:
        conn.execute(sa.insert(area), [{"profile_id": p, "name": n, "slug": s} for p, n, s in rows])


def upgrade():
    conn = op.get_bind()
    areas = conn.execute(sa.select(area.c.profile_id, area.c.name, area.c.slug)).all()
    _create_tables()
    with op.batch_alter_table("contact_profile") as batch:
        batch.add_column(sa.Column("centre_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("team_id", sa.Integer(), nullable=True))
        batch.create_index(batch.f("ix_contact_profile_centre_id"), ["centre_id"], unique=False)
        batch.create_index(batch.f("ix_contact_profile_team_id"), ["team_id"], unique=False)
        batch.create_foreign_key(batch.f("fk_contact_profile_centre_id_contact_centre"),
                                 "contact_centre", ["centre_id"], ["id"])
        batch.create_foreign_key(batch.f("fk_contact_profile_team_id_contact_team"),
                                 "contact_team", ["team_id"], ["id"])
    _convert_units(conn)
    with op.batch_alter_table("contact_profile") as batch:
        batch.drop_column("team")
        batch.drop_column("centre")
    _write_areas(conn, _normalised_areas(areas))


def downgrade():
    conn = op.get_bind()
    areas = conn.execute(sa.select(area.c.profile_id, area.c.name, area.c.slug)).all()
    with op.batch_alter_table("contact_profile") as batch:
        batch.add_column(sa.Column("centre", sa.String(length=160), nullable=False,
                                   server_default=""))
        batch.add_column(sa.Column("team", sa.String(length=120), nullable=False,
                                   server_default=""))
    names = sa.select(profile.c.id, centre_table.c.name.label("centre_name"),
                      team_table.c.name.label("team_name")).select_from(
        profile.outerjoin(centre_table, profile.c.centre_id == centre_table.c.id)
        .outerjoin(team_table, profile.c.team_id == team_table.c.id))
    for row in conn.execute(names).all():
        conn.execute(sa.update(profile).where(profile.c.id == row.id).values(
            centre=row.centre_name or "", team=row.team_name or ""))
    with op.batch_alter_table("contact_profile") as batch:
        batch.alter_column("centre", server_default=None, existing_type=sa.String(length=160))
        batch.alter_column("team", server_default=None, existing_type=sa.String(length=120))
        batch.drop_constraint(batch.f("fk_contact_profile_team_id_contact_team"), type_="foreignkey")
        batch.drop_constraint(batch.f("fk_contact_profile_centre_id_contact_centre"),
                              type_="foreignkey")
        batch.drop_index(batch.f("ix_contact_profile_team_id"))
        batch.drop_index(batch.f("ix_contact_profile_centre_id"))
        batch.drop_column("team_id")
        batch.drop_column("centre_id")
    with op.batch_alter_table("contact_team") as batch:
        batch.drop_index(batch.f("ix_contact_team_centre_id"))
    op.drop_table("contact_team")
    op.drop_table("contact_centre")
    _write_areas(conn, [(r.profile_id, r.name, r.slug) for r in areas])
