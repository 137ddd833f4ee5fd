"""Retention: how long each kind of record is kept (the framework file's ``retention:``), and applying that."""
