"""Promotion nominations: who may nominate whom, the case and portfolio, peer reviews, the evidence log.

Plain Python over the storage repositories; nothing here imports Slack. Messages go through the
outbox as a name and a context, rendered when they are sent (``bot/runtime/composer.py``).
"""
