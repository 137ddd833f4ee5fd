"""The pages the installer's browser shows at the end of "Add to Slack" (:mod:`bot.runtime.oauth`): installed, with
what to do next, or not installed and why. HTML from the autoescaping Jinja templates in ``templates/pages``: a
workspace's name and every other value is escaped there, and only there."""

from __future__ import annotations

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

_ENV = Environment(
    loader=PackageLoader("messages", "templates/pages"),
    autoescape=select_autoescape(default=True, default_for_string=True),
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)


def installed(*, where: str, tenant: str, link: str, first_admin: bool) -> str:
    """Ladder is installed in ``where`` (a workspace's name, or "every workspace of" an enterprise's); ``tenant`` is what
    ``ladder people import --team`` takes; ``link`` opens Ladder in Slack; ``first_admin``: this install made the
    installer its first Ladder admin (installed again, by them or another member, it makes no one admin)."""
    return _ENV.get_template("installed.html.j2").render(
        title="Ladder is installed", where=where, tenant=tenant, link=link, again=None, first_admin=first_admin
    )


def not_installed(title: str, text: str, *, again: str | None) -> str:
    """Why nothing was installed (one paragraph), with a link to start again at ``again`` when given."""
    return _ENV.get_template("not_installed.html.j2").render(title=title, text=text, again=again)
