"""A README's markdown as project blocks, read with a CommonMark parser (markdown-it-py).

Headings become heading blocks (level 2, or 3 for anything deeper); paragraphs, lists, quotes,
tables and raw HTML become text blocks holding their markdown source (raw HTML stays text that
the page renders through its sanitiser, so a <script> never runs); fenced and indented code
becomes code blocks, ```mermaid fences mermaid blocks; a paragraph of nothing but images (badges
and screenshots, linked or not) becomes image blocks, relative URLs resolved against the
repository's files. Images inside prose stay in the prose.
"""
from __future__ import annotations

import posixpath
from urllib.parse import urljoin, urlsplit

from markdown_it import MarkdownIt
from markdown_it.token import Token

PARSER = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])
TEXT_BLOCKS = {"bullet_list_open", "ordered_list_open", "blockquote_open", "table_open", "html_block",
               "hr", "paragraph_open"}


def readme_blocks(markdown: str, owner: str, name: str, readme_path: str = "README.md") -> list[dict]:
    """The README as a list of {"kind", "data"} blocks, in order; image URLs relative to the README
    (or, with a leading slash, to the repository's root) point at its raw files."""
    root = f"https://raw.githubusercontent.com/{owner}/{name}/HEAD/"
    folder = posixpath.dirname(readme_path)
    base_url = root + (folder + "/" if folder else "")
    lines = markdown.splitlines()
    tokens = PARSER.parse(markdown)
    blocks: list[dict] = []
    i = 0
    while i < len(tokens):
        token = tokens[i]
        end = _closing(tokens, i)
        if token.type == "heading_open":
            text = _plain(tokens[i + 1]).strip()
            if text:
                blocks.append({"kind": "heading", "data": {"text": text, "level": 2 if token.tag in ("h1", "h2") else 3}})
        elif token.type == "fence":
            language = token.info.strip().split(maxsplit=1)[0].lower() if token.info.strip() else ""
            if language == "mermaid":
                blocks.append({"kind": "mermaid", "data": {"source": token.content.rstrip("\n")}})
            else:
                blocks.append({"kind": "code", "data": {"language": language, "code": token.content.rstrip("\n")}})
        elif token.type == "code_block":
            blocks.append({"kind": "code", "data": {"language": "", "code": token.content.rstrip("\n")}})
        elif token.type == "paragraph_open" and _only_images(tokens[i + 1]):
            blocks.extend(_image_block(image, root, base_url) for image in _images(tokens[i + 1]))
        elif token.type in TEXT_BLOCKS and token.map:
            source = "\n".join(lines[token.map[0]:token.map[1]]).strip()
            if source:
                blocks.append({"kind": "text", "data": {"markdown": source}})
        i = end + 1
    return [block for block in blocks if block is not None]


def _closing(tokens: list[Token], start: int) -> int:
    """The index of the token that closes the one at `start` (itself when it does not nest)."""
    if tokens[start].nesting != 1:
        return start
    depth = 0
    for j in range(start, len(tokens)):
        depth += tokens[j].nesting
        if depth == 0:
            return j
    return len(tokens) - 1


def _plain(inline: Token) -> str:
    return "".join(child.content for child in inline.children or [] if child.type in ("text", "code_inline")) \
        or inline.content


def _only_images(inline: Token) -> bool:
    children = inline.children or []
    meaningful = [c for c in children if c.type not in ("softbreak", "hardbreak", "link_open", "link_close")
                  and not (c.type == "text" and not c.content.strip())]
    return bool(meaningful) and all(c.type == "image" for c in meaningful)


def _images(inline: Token) -> list[Token]:
    return [c for c in inline.children or [] if c.type == "image"]


def _image_block(image: Token, root: str, base_url: str) -> dict | None:
    src = str(image.attrs.get("src", "")).strip()
    url = urljoin(root, src.lstrip("/")) if src.startswith("/") and not src.startswith("//") else urljoin(base_url, src)
    if urlsplit(url).scheme not in ("http", "https"):
        return None  # data: and other schemes are not images we link to
    alt = "".join(child.content for child in image.children or []) or image.content
    return {"kind": "image", "data": {"url": url, "alt": alt, "caption": str(image.attrs.get("title") or "")}}
