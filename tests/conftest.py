"""Shared fixtures: the fake Slack Web API, databases on SQLite and PostgreSQL, the framework."""

pytest_plugins = ["tests.fake_slack", "tests.db_fixtures", "tests.app_server", "tests.fake_socket_mode", "tests.serve_process"]
