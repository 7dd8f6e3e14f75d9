"""Alembic migrations of the SQL schema: a site's data dir survives every upgrade."""
