"""Alembic environment: always run from `vigil.store.sql.migrate` with an open connection."""

from alembic import context

from vigil.store.sql import Base

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",  # SQLite alters tables by copy
)
with context.begin_transaction():
    context.run_migrations()
