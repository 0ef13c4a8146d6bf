"""Alembic environment of the tutela store.

The store runs the migrations itself (`tutela.store.Store.open`), handing over
an open connection in `config.attributes["connection"]`; there is no
alembic.ini. Migrations in `versions/` are reviewed code: write a new one
from `script.py.mako` when the models change (a test fails while the models
and the migrations disagree).
"""

from __future__ import annotations

from alembic import context

from tutela.store.models import Base

config = context.config
connection = config.attributes.get("connection")
if connection is None:  # pragma: no cover - only the store runs these migrations
    raise RuntimeError("tutela migrations run through tutela.store.Store.open")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
)
with context.begin_transaction():
    context.run_migrations()
