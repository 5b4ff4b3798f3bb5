"""Several things as one Markdown element. Every element of a fragment is sent again on each of its reruns,
and Streamlit spends ~0.15 ms of server CPU on a Markdown element (~0.5 ms on an st.table, ~0.3 ms on a
widget: bench/element_cost.py), so a panel's heading, its rule and its small tables are Markdown here."""
from __future__ import annotations

import re

import streamlit as st

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>$~#])")  # "|" is markdown_table's


def plain(value) -> str:
    """Our text or a number shown as written inside Markdown: no emphasis, link, math or table syntax."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", str(value)).replace("\n", " ")


def markdown_table(header: tuple, rows: list) -> str:
    """A small table of our own Markdown strings and numbers (cells may hold `code` spans)."""
    cell = lambda v: str(v).replace("|", "\\|").replace("\n", " ")  # noqa: E731
    lines = ["| " + " | ".join(map(cell, header)) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(map(cell, row)) + " |" for row in rows]
    return "\n".join(lines)


def plain_table(rows: list[dict]) -> str:
    """Rows of plain text cells (the keys of the first row are the header) as a Markdown table."""
    header = tuple(rows[0]) if rows else ()
    return markdown_table(tuple(map(plain, header)), [tuple(plain(row.get(k, "")) for k in header) for row in rows])


def joined(*blocks: str) -> str:
    """Paragraphs, tables and lists as one Markdown text (one element), each a block of its own."""
    return "\n\n".join(b for b in blocks if b)


def section_heading(title: str, intro: str | None = None) -> None:
    """A rule, a level-3 heading and an optional Markdown paragraph: what st.divider, st.subheader and
    st.markdown draw, in one element."""
    st.markdown(joined("---", f"### {title}", intro or ""))
