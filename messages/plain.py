"""Block Kit as terminal text, so `ladder ask` shows exactly what Slack would show."""

from __future__ import annotations

import re
from typing import Any

_EMPHASIS = re.compile(r"(?<![\w*])\*([^*\n]+)\*(?![\w*])|(?<![\w_])_([^_\n]+)_(?![\w_])")


def strip_mrkdwn(text: str) -> str:
    return _EMPHASIS.sub(lambda m: m.group(1) or m.group(2), text)


def blocks_to_text(blocks: list[dict[str, Any]]) -> str:
    out: list[str] = []
    index = 0
    while index < len(blocks):
        block = blocks[index]
        if block.get("type") == "section" and block.get("fields") and not block.get("text"):
            table = []
            while index < len(blocks) and blocks[index].get("type") == "section" and blocks[index].get("fields"):
                table.append([strip_mrkdwn(f["text"]) for f in blocks[index]["fields"]])
                index += 1
            out.append(_table(table))
            continue
        out.append(_block_text(block))
        index += 1
    return "\n\n".join(part for part in out if part).strip() + "\n"


def _block_text(block: dict[str, Any]) -> str:
    kind = block.get("type")
    if kind == "header":
        title = block["text"]["text"]
        return f"{title}\n{'=' * len(title)}"
    if kind == "section":
        parts = [strip_mrkdwn(block["text"]["text"])] if block.get("text") else []
        parts += [strip_mrkdwn(f["text"]) for f in block.get("fields", [])]
        return "\n".join(parts)
    if kind == "context":
        return "  ".join(strip_mrkdwn(e.get("text", "")) for e in block.get("elements", []))
    if kind == "divider":
        return "-" * 40
    return ""


def _table(rows: list[list[str]]) -> str:
    columns = max(len(r) for r in rows)
    widths = [max(len(r[c]) if c < len(r) else 0 for r in rows) for c in range(columns)]
    lines = []
    for row in rows:
        cells = [(row[c] if c < len(row) else "").ljust(widths[c]) for c in range(columns)]
        lines.append("  |  ".join(cells).rstrip())
    return "\n".join(lines)
