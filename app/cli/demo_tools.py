"""The demo community's AI tools: what each seeded project was built with, and members' reviews.

Deterministic for a seed (its own random stream, so the rest of the demo is unchanged), and
believable: a project's tools follow its topics, a few tools are far more popular than the rest,
each tool has a quality that its ratings scatter around, and review texts are assembled from the
tool's own use cases and best practices with phrasing that varies with the rating.
"""
from __future__ import annotations

import random
from datetime import timedelta

from sqlalchemy import func, select

from app.extensions import db
from app.models import Project, Tool, ToolReview, User
from app.models.types import utcnow
from commands.tools import load_tools, review_tool, set_project_tools

# Which directory categories a project on a topic most likely used.
TOPIC_CATEGORIES: dict[str, tuple[str, ...]] = {
    "rag": ("vector-databases", "orchestration", "llm-apis"),
    "agents": ("agent-frameworks", "llm-apis", "mlops-eval"),
    "fine-tuning": ("ml-frameworks", "hosting-inference", "data-labeling"),
    "embeddings": ("vector-databases", "llm-apis", "ml-frameworks"),
    "prompt-engineering": ("llm-apis", "chat-assistants", "mlops-eval"),
    "computer-vision": ("ml-frameworks", "data-labeling", "image"),
    "speech-to-text": ("audio-speech",),
    "text-to-speech": ("audio-speech",),
    "audio-classification": ("audio-speech", "ml-frameworks"),
    "llm-evals": ("mlops-eval", "llm-apis"),
    "vector-databases": ("vector-databases", "orchestration"),
    "local-llms": ("local-inference", "llm-apis"),
    "diffusion-models": ("image", "video", "ml-frameworks"),
    "function-calling": ("llm-apis", "agent-frameworks"),
    "ai-for-education": ("chat-assistants", "productivity", "llm-apis"),
    "ai-for-health": ("llm-apis", "local-inference", "audio-speech"),
    "data-labeling": ("data-labeling", "ml-frameworks"),
    "mlops": ("mlops-eval", "hosting-inference"),
    "chatbots": ("llm-apis", "orchestration", "hosting-inference"),
    "code-generation": ("coding-assistants", "llm-apis"),
    "multimodal": ("llm-apis", "image", "audio-speech"),
    "recommendation": ("ml-frameworks", "vector-databases"),
    "time-series": ("ml-frameworks", "hosting-inference"),
    "anomaly-detection": ("ml-frameworks", "mlops-eval"),
    "nlp": ("ml-frameworks", "llm-apis"),
    "ocr": ("orchestration", "ml-frameworks"),
    "ai-safety": ("mlops-eval", "orchestration"),
    "synthetic-data": ("llm-apis", "data-labeling"),
    "knowledge-graphs": ("orchestration", "llm-apis"),
    "reinforcement-learning": ("ml-frameworks",),
    "small-language-models": ("local-inference", "ml-frameworks"),
    "no-code-ai": ("agent-frameworks", "productivity", "coding-assistants"),
    "ai-music": ("audio-speech",),
    "robotics": ("ml-frameworks",),
    "accessibility": ("audio-speech", "chat-assistants"),
    "climate-ai": ("ml-frameworks", "hosting-inference"),
    "geospatial": ("ml-frameworks", "hosting-inference"),
}
ALWAYS_HANDY = ("coding-assistants", "chat-assistants", "hosting-inference")

OPENERS = {
    5: ("Became part of my daily routine within a week.", "Honestly one of the best additions to my toolkit this year.",
        "Does what it promises, and quickly.", "I keep recommending this to friends who are starting out.",
        "Five stars, and I am picky.", "Exactly what I needed as a beginner."),
    4: ("Solid, with a couple of rough edges.", "Really useful once I got past the setup.",
        "Good tool; the docs could be friendlier.", "Does the job well most of the time.",
        "Would have been five stars with better error messages.", "Reliable enough that I stopped thinking about it."),
    3: ("Mixed feelings.", "Fine for what it is, nothing more.", "It works, but I had to fight it a bit.",
        "Useful in places, frustrating in others.", "Decent, though the learning curve surprised me."),
    2: ("Wanted to like it more than I did.", "Struggled to get consistent results.",
        "Probably a better fit for bigger teams than for me.", "The pricing made it hard to keep experimenting."),
    1: ("Did not work out for me.", "Spent a weekend on it and gave up.", "Too many surprises for a beginner."),
}
USES = ("I used it for {use}.", "My main use: {use}.", "Tried it on {use}.", "I mostly reached for it for {use}.",
        "Used it in “{project}” for {use}.", "For “{project}” it handled {use}.")
TIPS = ("Tip: {tip}.", "What helped me: {tip}.", "Lesson learned the hard way: {tip}.",
        "If you are new to it: {tip}.", "One thing I wish I had known: {tip}.")
CLOSERS = {
    5: ("Worth learning properly.", "I would pick it again without hesitation.", "Start here if you are unsure.", ""),
    4: ("Recommended.", "I will keep using it.", "Good value for a learner.", ""),
    3: ("Might suit you better than me.", "Try the free tier before deciding.", ""),
    2: ("I may come back in a few months.", "Look at the alternatives first.", ""),
    1: ("Not for me, at least not yet.", ""),
}


def _lower_first(text: str) -> str:
    """Lower-case a sentence's first letter to use it mid-sentence, unless it starts an acronym."""
    return text if text[1:2].isupper() else text[:1].lower() + text[1:]


def review_text(rng: random.Random, tool: Tool, rating: int, project_title: str | None) -> str:
    """A short review in a member's voice, built from the tool's own use cases and practices."""
    if rng.random() < 0.12:
        return ""  # some people only leave stars
    use = _lower_first(rng.choice(tool.use_cases)).rstrip(".")
    uses = [u for u in USES if project_title or "{project}" not in u]
    parts = [rng.choice(OPENERS[rating]),
             rng.choice(uses).format(use=use, project=project_title or "")]
    if rating >= 3 and rng.random() < 0.6:
        parts.append(rng.choice(TIPS).format(tip=_lower_first(rng.choice(tool.best_practices)).rstrip(".")))
    elif rating <= 2:
        parts.append(rng.choice((f"Compared with other {tool.category_label.lower()}, it felt harder to get going.",
                                 "The results changed too much from one run to the next for my project.",
                                 f"{tool.name} may simply be more than a small side project needs.")))
    parts.append(rng.choice(CLOSERS[rating]))
    return " ".join(p for p in parts if p)


def seed_tools(seed_value: int, people: list[User], projects: list[Project]) -> dict[str, int]:
    """Attach tools to the demo projects and write members' reviews; return the counts."""
    if not db.session.scalar(select(func.count()).select_from(Tool)):
        load_tools()
    rng = random.Random(f"{seed_value}:tools")
    tools = list(db.session.scalars(select(Tool).order_by(Tool.slug)))
    popularity = {t.id: rng.paretovariate(1.2) for t in tools}
    quality = {t.id: rng.uniform(3.0, 4.8) for t in tools}
    by_category: dict[str, list[Tool]] = {}
    for tool in tools:
        by_category.setdefault(tool.category, []).append(tool)

    used_by: dict[int, list[tuple[Tool, str]]] = {}
    links = 0
    for project in projects:
        categories = [c for topic in project.topics for c in TOPIC_CATEGORIES.get(topic, ())] or list(ALWAYS_HANDY)
        if rng.random() < 0.5:
            categories.append(rng.choice(ALWAYS_HANDY))
        chosen: list[Tool] = []
        for _ in range(rng.randint(1, 4)):
            pool = [t for t in by_category[rng.choice(categories)] if t not in chosen]
            if pool:
                chosen.append(rng.choices(pool, [popularity[t.id] for t in pool])[0])
        author = db.session.get(User, project.author_id)
        set_project_tools(author, {"project_id": project.id, "tools": [t.slug for t in chosen]})
        links += len(chosen)
        used_by.setdefault(author.id, []).extend((t, project.title) for t in chosen)

    reviews = 0
    weights = [popularity[t.id] for t in tools]
    for member in people:
        mine = {t.id: (t, title) for t, title in used_by.get(member.id, [])}
        picks = [t for t, _ in mine.values() if rng.random() < 0.6]
        for tool in rng.choices(tools, weights, k=rng.choice((0, 0, 1, 2, 3, 4))):
            if tool not in picks:
                picks.append(tool)
        for tool in picks:
            rating = max(1, min(5, round(rng.gauss(quality[tool.id], 0.9))))
            title = mine[tool.id][1] if tool.id in mine else None
            review_tool(member, {"tool_id": tool.id, "rating": rating, "body": review_text(rng, tool, rating, title)})
            reviews += 1
    return {"tool links": links, "tool reviews": reviews}


def spread_reviews(seed_value: int) -> None:
    """Date each review some time after its author joined (run after the members' join dates
    are spread); a few were edited later."""
    rng = random.Random(f"{seed_value}:reviews")
    now = utcnow()
    for review, joined in db.session.execute(
            select(ToolReview, User.created_at).join(User, User.id == ToolReview.user_id).order_by(ToolReview.id)):
        age = max(3600.0, (now - joined).total_seconds())
        review.created_at = review.updated_at = now - timedelta(seconds=rng.random() * age)
        if rng.random() < 0.15:
            review.updated_at = review.created_at + timedelta(hours=rng.uniform(1, 72))
            review.updated_at = min(review.updated_at, now)
    db.session.commit()

