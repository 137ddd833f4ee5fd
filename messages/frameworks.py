"""The messages about a framework file an admin uploads to Ladder in Slack: the check's result with Publish and Cancel,
what the buttons did, and the refusals. Every file name and problem line is the uploader's text: escaped."""

from __future__ import annotations

from typing import Any, Mapping, Sequence

from slack_sdk.models.blocks import ActionsBlock, ButtonElement, ConfirmObject

from messages.blocks import bullet_list, context, esc, finish_message, metadata, plain, section
from messages.ids import FrameworkIds
from messages.render import Message

SHOWN = 15
"""Problems, and changes, listed at most in the message (the rest counted)."""
LINE = 300


def check_context(
    *,
    name: str,
    digest: str | None,
    errors: Sequence[str],
    warnings: Sequence[str],
    changes: Sequence[str],
    framework: str | None,
    in_force: str,
) -> dict[str, Any]:
    """What the check's message shows (the check's own lines, bounded; never the file)."""
    return {
        "name": name[:200], "digest": digest, "framework": framework, "in_force": in_force,
        "errors": _bounded(errors), "warnings": _bounded(warnings), "changes": _bounded(changes),
        "counts": {"errors": len(errors), "warnings": len(warnings), "changes": len(changes)},
    }  # fmt: skip


def _bounded(lines: Sequence[str]) -> list[str]:
    return [line[:LINE] for line in lines[:SHOWN]]


def checked(about: Mapping[str, Any]) -> Message:
    """The check's result: what is wrong (nothing is published then), or what would change, with Publish and Cancel."""
    name = str(about.get("name") or "the file")
    found = about.get("counts")
    counts: Mapping[str, Any] = found if isinstance(found, dict) else {}
    errors, warnings, changes = (_lines(about, key) for key in ("errors", "warnings", "changes"))
    blocks: list[Any] = []
    if errors or not about.get("digest"):
        blocks.append(section(f":x: *{esc(name)}* cannot be published:\n" + bullet_list(esc(e) for e in errors)))
        blocks.append(_more(counts, "errors", errors))
        blocks.append(context("Fix it and upload it again here. `ladder framework check FILE` lists the same problems."))
        return finish_message(f"{name} cannot be published", [b for b in blocks if b is not None])
    blocks.append(section(f"*{esc(name)}* is a framework Ladder can publish: {esc(str(about.get('framework') or ''))}."))
    if warnings:
        blocks.append(section("*Warnings* (it can be published with them)\n" + bullet_list(esc(w) for w in warnings)))
        blocks.append(_more(counts, "warnings", warnings))
    in_force = esc(str(about.get("in_force") or "the default framework"))
    if changes:
        blocks.append(section(f"*What changes* against {in_force}\n" + bullet_list(esc(c) for c in changes)))
        blocks.append(_more(counts, "changes", changes))
    else:
        blocks.append(section(f"It changes nothing answers show against {in_force}."))
    value = metadata(key=about.get("key"), digest=about.get("digest"), name=name)
    blocks.append(
        ActionsBlock(
            block_id=FrameworkIds.CHECKED_ACTIONS,
            elements=[
                ButtonElement(
                    text=plain("Publish"), action_id=FrameworkIds.PUBLISH, value=value, style="primary",
                    confirm=ConfirmObject(
                        title="Publish this framework?", confirm="Publish", deny="Not yet",
                        text="Everyone in the organisation gets answers, check-ins and panels from it within seconds.",
                    ),
                ),
                ButtonElement(text=plain("Cancel"), action_id=FrameworkIds.CANCEL, value=value),
            ],
        )
    )  # fmt: skip
    return finish_message(f"{name} checked: publish it?", [b for b in blocks if b is not None])


def _lines(about: Mapping[str, Any], key: str) -> list[str]:
    found = about.get(key)
    return [str(line) for line in found[:SHOWN]] if isinstance(found, list) else []


def _more(counts: Mapping[str, Any], key: str, shown: list[str]) -> Any:
    found = counts.get(key)
    total = found if isinstance(found, int) else len(shown)
    return context(f"… and {total - len(shown)} more.") if total > len(shown) else None


def published(name: str, version: int, framework: str, *, added: bool) -> Message:
    if added:
        text = f"Published as version {version}: {esc(framework)}, from *{esc(name)}*. Ladder answers from it within seconds."
    else:
        text = f"Published as version {version}: {esc(framework)} (it was in force already; nothing new was published)."
    return finish_message(f"Published as version {version}", [section(text)])


def cancelled(name: str) -> Message:
    return finish_message("Not published", [section(f"*{esc(name)}* was not published.")])


def refused(reason: str) -> Message:
    """A one-line refusal: not an admin, a file too large or unreadable, a file that changed since it was checked."""
    return finish_message(reason, [section(esc(reason))])
