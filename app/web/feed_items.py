"""A feed page's items as HTML, assembled in Python around parts the shared macros render.

A page renders 20 items on every request. As a Jinja macro an item cost 35 to 85 µs (four macro
calls, some 27 escapes: bench/README.md, feeds.py); here under 8. An item is its own few
lines of markup (the list item, its head and time, the card's body, social proof, the why-line),
written below, around three parts rendered by the macros every other page uses:
`member_name`, `like_button` and `repost_button`. Each part is remembered per app by exactly what
its macro reads (the names, tier and flair rank; the project's id, title and like count and the
viewer's like; the activity and the viewer's repost; the script root its URLs start with), so a part
can only be reused where the macro would render the same bytes, whoever is reading. The feed
items' HTML is the same as the macro's (tests/web/test_feed_items.py renders both).
"""
from __future__ import annotations

from datetime import datetime

from flask import current_app, request
from markupsafe import Markup, escape

from app.read.feeds import FeedItem
from app.web.leaderboards import weekly_flair

PARTS_KEPT = 10_000  # parts remembered per app before starting afresh (a few MB)


class _Parts:
    """The shared macros' output and the items' times, remembered by what they are made of."""

    def __init__(self) -> None:
        self.html: dict[tuple, str] = current_app.extensions.setdefault("feed_item_parts", {})
        if len(self.html) > PARTS_KEPT:
            self.html.clear()
        self.root = request.script_root
        env = current_app.jinja_env
        self._names = env.get_template("fragments/members/macros.html").module
        self._likes = env.get_template("fragments/projects/macros.html").module
        self._reposts = env.get_template("fragments/feeds/macros.html").module

    def name(self, card) -> Markup:
        key = ("name", card.username, card.name, card.tier, weekly_flair(card))
        html = self.html.get(key)
        if html is None:
            html = self.html[key] = self._names.member_name(card)
        return html

    def like(self, project, liked: bool) -> Markup:
        key = ("like", project.id, project.title, project.likes_count, liked, self.root)
        html = self.html.get(key)
        if html is None:
            html = self.html[key] = self._likes.like_button(project, liked, True)
        return html

    def time(self, at: datetime) -> str:
        key = ("time", at, at.tzinfo)  # equal instants in other time zones print otherwise
        html = self.html.get(key)
        if html is None:
            html = self.html[key] = f'<time datetime="{at.isoformat()}">{at.strftime("%d %b, %H:%M")}</time>'
        return html

    def repost(self, activity_id: int, reposted: bool) -> Markup:
        key = ("repost", activity_id, reposted, self.root)
        html = self.html.get(key)
        if html is None:
            html = self.html[key] = self._reposts.repost_button(activity_id, reposted)
        return html


def feed_items(items: list[FeedItem], viewer_id: int | None) -> Markup:
    """The items as the member `viewer_id` sees them (None: nobody is logged in)."""
    parts = _Parts()
    return Markup("".join([_item(item, viewer_id, parts) for item in items]))


def _item(item: FeedItem, viewer_id: int | None, parts: _Parts) -> str:
    shared = item.original or item
    html = [f'<li class="feed-item feed-{escape(item.type)}" data-id="{item.id}" data-author="{item.author.id}">',
            '\n  <div class="feed-head">\n    ', parts.name(item.author),
            "\n    ", parts.time(item.created_at), "\n  </div>"]
    if item.original:
        html += ['\n  <p class="muted">reposted</p>\n  <div class="reposted-item">\n    ', parts.name(shared.author),
                 "\n    ", shared.body, "\n    ", parts.like(shared.project, item.liked) if shared.project else "",
                 "\n  </div>"]
    else:
        html += ["\n  ", item.body, "\n  ", parts.like(item.project, item.liked) if item.project else ""]
    html += ["\n  ", f'<p class="proof">{escape(item.proof)}</p>' if item.proof else "", "\n  ",
             parts.repost(shared.id, item.reposted) if viewer_id and shared.author.id != viewer_id else "",
             f'\n  <p class="why" title="Why am I seeing this?">{escape(item.why)}</p>\n</li>']
    return "".join(html)
