"""Feed items as HTML (app.web.feed_items): the same bytes the item macro rendered, and parts
remembered across requests never show one reader's state to another or an old state to anyone."""
import itertools
import re
from datetime import UTC, datetime, timedelta, timezone

from flask import g
from markupsafe import Markup

from app.extensions import db
from app.models import User
from app.read.feeds import FeedItem, ProjectCard
from app.read.leaderboards import Flair
from app.read.members import MemberCard
from app.rules import tier_for
from app.web.feed_items import feed_items
from commands.accounts import update_profile
from commands.notifications import mute_member
from commands.projects import update_project
from commands.social import follow_member, like_project, repost_activity
from tests.conftest import WebClient, drain, make_member
from tests.workers.test_feeds import activity_id, published

# templates/fragments/feeds/item.html as it was until feed items were assembled in Python (2026-11-25).
ITEM_MACRO = """{% from "fragments/members/macros.html" import member_name %}
{% from "fragments/projects/macros.html" import like_button %}
{% from "fragments/feeds/macros.html" import repost_button %}
{%- macro feed_item(item, viewer_id) -%}
<li class="feed-item feed-{{ item.type }}" data-id="{{ item.id }}" data-author="{{ item.author.id }}">
  <div class="feed-head">
    {{ member_name(item.author) }}
    <time datetime="{{ item.created_at.isoformat() }}">{{ item.created_at.strftime('%d %b, %H:%M') }}</time>
  </div>
  {%- set shared = item.original or item %}
  {%- if item.original %}
  <p class="muted">reposted</p>
  <div class="reposted-item">
    {{ member_name(shared.author) }}
    {{ shared.body }}
    {% if shared.project %}{{ like_button(shared.project, item.liked, true) }}{% endif %}
  </div>
  {%- else %}
  {{ item.body }}
  {% if item.project %}{{ like_button(item.project, item.liked, true) }}{% endif %}
  {%- endif %}
  {% if item.proof %}<p class="proof">{{ item.proof }}</p>{% endif %}
  {% if viewer_id and shared.author.id != viewer_id %}{{ repost_button(shared.id, item.reposted) }}{% endif %}
  <p class="why" title="Why am I seeing this?">{{ item.why }}</p>
</li>
{%- endmacro %}"""

ADA = MemberCard(7, "ada", 'Ada "<b>" & co', 12_500, tier_for(12_500))
BOB = MemberCard(8, "bob", "Bob", 0, tier_for(0))
AT = datetime(2026, 11, 24, 21, 5, 9, 123456, tzinfo=UTC)
# As cards hold it (UTC), naive, and the same instant an hour east (equal datetimes that print otherwise)
TIMES = (AT, AT.replace(tzinfo=None), AT.astimezone(timezone(timedelta(hours=1))))


def items(at):
    """Every shape an item takes: a project or not, shared or not, liked, reposted, with proof."""
    body = Markup("<p>published <a class=\"title\" href=\"/@ada/receipts\">Receipts &amp; taxes</a></p>")
    for liked, reposted, proof, likes in itertools.product((False, True), (False, True),
                                                           (None, "@bob and 2 others you follow liked this"),
                                                           (0, 1234)):
        project = ProjectCard(41, "receipts", 'Receipts & "taxes" <3', likes, ["rag"])
        own = FeedItem(101, "ProjectPublished", ADA, at, {"project_id": 41}, project, liked, proof,
                       "You follow @ada", reposted=reposted, body=body)
        yield own
        yield FeedItem(102, "TierReached", BOB, at, {}, None, liked, proof, "You", reposted=reposted,
                       body=Markup("<p>reached <span>Bloom</span> 🎉</p>"))
        shared = FeedItem(101, "ProjectPublished", ADA, at, {"project_id": 41}, project, body=body)
        yield FeedItem(103, "ActivityReposted", BOB, at, {"activity_id": 101}, project, liked, proof,
                       "Popular in the community right now", original=shared, reposted=reposted)
        badge = FeedItem(104, "AchievementUnlocked", ADA, at, {}, body=Markup("<p>unlocked</p>"))
        yield FeedItem(105, "ActivityReposted", BOB, at, {"activity_id": 104}, None, liked, proof, "x < y",
                       original=badge, reposted=reposted)


def test_items_are_the_bytes_the_item_macro_rendered(app):
    reference = app.jinja_env.from_string(ITEM_MACRO).module.feed_item
    for base_url in ("http://allthrive.test/", "http://allthrive.test/community/"):  # parts per script root
        with app.test_request_context("/feed", base_url=base_url):
            for flair in (Flair({}), Flair({ADA.id: 3}), Flair({BOB.id: 1, ADA.id: 10})):
                g.weekly_flair = flair
                for item in (item for at in TIMES for item in items(at)):
                    for viewer in (None, ADA.id, BOB.id, 99):
                        expected = str(reference(item, viewer))
                        assert str(feed_items([item], viewer)) == expected
                        assert str(feed_items([item, item], viewer)) == expected * 2


def item_of(html: str, aid: int) -> str:
    match = re.search(rf'<li class="feed-item[^"]*" data-id="{aid}".*?</li>', html, re.DOTALL)
    return match.group(0) if match else ""


def test_a_readers_like_repost_mute_and_an_authors_edits_show_at_once_and_only_to_whom_they_concern(app):
    author, ann, ben = make_member(app, "author"), make_member(app, "ann"), make_member(app, "ben")

    def run(command, actor, data):
        with app.app_context():
            command(db.session.get(User, actor), data)
        drain(app)

    for reader in (ann, ben):
        run(follow_member, reader, {"user_id": author})
    with app.app_context():
        project_id = published(author, "Receipts bot").id
    drain(app)
    with app.app_context():
        aid = activity_id(project_id)
    ann_web, ben_web = WebClient(app).login("ann"), WebClient(app).login("ben")

    def seen(web):
        return item_of(web.get("/feed", htmx=True).get_data(as_text=True), aid)

    first = seen(ann_web)
    assert "Receipts bot" in first and 'aria-pressed="false"' in first and 'data-likes="0"' in first
    assert seen(ben_web) == first  # the same item, read by two people who did nothing with it

    run(like_project, ann, {"project_id": project_id})
    ann_sees, ben_sees = seen(ann_web), seen(ben_web)
    assert 'class="heart liked"' in ann_sees and "♥" in ann_sees and "Unlike Receipts bot" in ann_sees
    assert 'class="heart"' in ben_sees and "♡" in ben_sees and "Like Receipts bot" in ben_sees
    assert 'data-likes="1"' in ann_sees and 'data-likes="1"' in ben_sees  # the count is everyone's

    run(repost_activity, ben, {"activity_id": aid})
    assert "⟲ Reposted" in seen(ben_web) and 'hx-delete="/activities/' in seen(ben_web)
    assert "⟲ Repost<" in seen(ann_web) and "⟲ Reposted" not in seen(ann_web)

    run(update_profile, author, {"display_name": "The Author", "time_zone": "UTC"})
    run(update_project, author, {"project_id": project_id, "title": "Receipts bot 2", "description": "",
                                 "topics": ""})
    for web in (ann_web, ben_web):
        assert "The Author" in seen(web) and "Receipts bot 2" in seen(web)

    run(mute_member, ann, {"user_id": author})
    assert seen(ann_web) == "" and "Receipts bot 2" in seen(ben_web)
