"""SQLAlchemy tables, queries per aggregate, and the Alembic migrations. Never commits."""
