"""The Slack runtime: settings, the Bolt app factory, the HTTP server, Socket Mode, logs and deliveries.

Everything that knows about Slack's wire lives here; the domain packages beside it do not import Slack.
"""
