"""Publishing a framework while others keep taking each next version number (issue #20): after three lost races the
person is told in one line to try again (a LadderError), never an unexpected error. PostgreSQL: on SQLite a publisher
holds the write lock from its first read, so no other can take the number it read."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, event, text

from bot.errors import LadderError
from bot.framework.loader import load_framework
from bot.framework.publishing import candidate, publish
from storage.engine import make_engine, normalize_url
from storage.migrate import upgrade
from storage.unit_of_work import unit_of_work

DEFAULT = Path(__file__).parents[1] / "bot" / "framework" / "default.yaml"
AT = datetime(2026, 3, 16, tzinfo=UTC)


def test_a_publish_that_keeps_losing_the_race_is_refused_in_one_line(database_url):
    if not database_url.startswith("postgresql"):
        pytest.skip("SQLite: the publisher holds the write lock from its first read; no race can be lost")
    upgrade(database_url)
    engine = make_engine(database_url, create_missing=False)
    rival = create_engine(normalize_url(database_url))
    won = []

    def another_publisher_first(_conn: Any, _cursor: Any, statement: str, params: Any, *_rest: Any) -> None:
        """Just before each insert of a version, another publisher commits the same version number."""
        if statement.lstrip().upper().startswith("INSERT INTO FRAMEWORK_VERSION"):
            with rival.begin() as conn:
                conn.execute(
                    text(
                        "INSERT INTO framework_version (team_id, version, text, digest, source, published_by, published_at)"
                        " VALUES (:team, :version, 'x', :digest, 'rival.yaml', 'URIVAL', :at)"
                    ),
                    {"team": "T0AAA", "version": params["version"], "digest": f"rival{params['version']}", "at": AT},
                )
            won.append(params["version"])

    offered = candidate(DEFAULT.read_bytes(), "ours.yaml", load_framework(None))
    event.listen(engine, "before_cursor_execute", another_publisher_first)
    try:
        with pytest.raises(LadderError, match="others were publishing .* try again") as refused:
            with unit_of_work(engine) as work:
                publish(work.session, "T0AAA", offered, by="UADMIN", at=AT)
    finally:
        event.remove(engine, "before_cursor_execute", another_publisher_first)
        rival.dispose()
        engine.dispose()
    assert won == [1, 2, 3] and "\n" not in refused.value.message
