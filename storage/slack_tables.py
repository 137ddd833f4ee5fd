"""Slack's own tables for installations (slack_sdk's SQLAlchemy installation store: ``slack_installations``,
``slack_bots``) and OAuth states (``slack_oauth_states``), declared on the project's metadata so that Alembic creates
and migrates them with the rest. The stores themselves (:mod:`bot.runtime.installations`) read and write them."""

from __future__ import annotations

from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore
from sqlmodel import SQLModel

INSTALLATIONS = "slack_installations"
BOTS = "slack_bots"
OAUTH_STATES = "slack_oauth_states"

installations = SQLAlchemyInstallationStore.build_installations_table(SQLModel.metadata, INSTALLATIONS)
bots = SQLAlchemyInstallationStore.build_bots_table(SQLModel.metadata, BOTS)
oauth_states = SQLAlchemyOAuthStateStore.build_oauth_states_table(SQLModel.metadata, OAUTH_STATES)
