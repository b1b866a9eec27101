"""Member-written rich text: Markdown rendered, then sanitised; code highlighted.

Markdown may carry raw HTML, so what the renderer produces goes through nh3 (Rust's ammonia)
with an allow-list: no scripts, no event handlers, no javascript: URLs, links marked
rel="nofollow noopener ugc". Code is highlighted on the server by Pygments, which escapes it.
"""
from __future__ import annotations

import markdown as markdown_lib
import nh3
from markupsafe import Markup
from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import TextLexer, get_lexer_by_name
from pygments.util import ClassNotFound

TAGS = {
    "p", "br", "hr", "strong", "em", "del", "code", "pre", "blockquote", "ul", "ol", "li",
    "a", "h3", "h4", "h5", "h6", "table", "thead", "tbody", "tr", "th", "td", "img",
}
ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt", "title"}, "th": {"align"}, "td": {"align"}}
FORMATTER = HtmlFormatter(cssclass="highlight", nowrap=False)


def render_markdown(text: str, tags: set[str] = TAGS, attributes: dict[str, set[str]] = ATTRIBUTES) -> Markup:
    """Markdown → safe HTML with only these tags and attributes (headings shifted down so a block
    never competes with the page's h1/h2)."""
    html = markdown_lib.markdown(text or "", extensions=["fenced_code", "tables", "sane_lists"],
                                 output_format="html")
    for level in (2, 1):
        html = html.replace(f"<h{level}", f"<h{level + 2}").replace(f"</h{level}>", f"</h{level + 2}>")
    return Markup(nh3.clean(html, tags=tags, attributes=attributes, url_schemes={"http", "https", "mailto"},
                            link_rel="nofollow noopener ugc"))


def highlight_code(code: str, language: str = "") -> Markup:
    """Code as highlighted, escaped HTML; unknown languages are shown plain."""
    try:
        lexer = get_lexer_by_name(language) if language else TextLexer()
    except ClassNotFound:
        lexer = TextLexer()
    return Markup(highlight(code, lexer, FORMATTER))


def highlight_css() -> str:
    """The stylesheet for highlighted code (served once, cached)."""
    return FORMATTER.get_style_defs(".highlight")
