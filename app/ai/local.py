"""The local provider: works offline with no key, so the product and its tests never need a network.

It is honest about what it is: a small rules-and-statistics model, not a language model.
Moderation looks for threats, harassment aimed at a person and spam; summaries are extractive
(the text's most representative sentences, in order); embeddings hash words and word pairs into
a fixed-size unit vector, so texts sharing vocabulary are close; judging measures how much of the
criteria a submission addresses.
"""
from __future__ import annotations

import hashlib
import math
import re
from collections import Counter

from app.ai import Judgement, Moderation

WORD = re.compile(r"[a-z0-9][a-z0-9'+#.-]*")
SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"'(])")
STOPWORDS = frozenset("""
a an and are as at be but by can do does for from has have how i if in into is it its just my no not of
on or our so that the their them then there these they this to was we what when which who will with you
your yours our us me he she his her than too very also about all any more most other some such only own
same should would could been being were had having here out up down over under again further once
""".split())
THREAT = re.compile(
    r"\b(i(?:'ll| will| am going to|'m going to|'m gonna| gonna)\s+(?:kill|hurt|find|destroy|beat)\b"
    r"|\bkill yourself\b|\bkys\b|\byou(?:'re| are)? (?:dead|gonna die)\b)", re.I)
INSULT = re.compile(r"\b(idiot|moron|stupid|loser|pathetic|worthless|dumb|clown|trash|garbage|useless)\b", re.I)
AIMED = re.compile(r"\b(you|you're|youre|your|u|ur)\b", re.I)
LINK = re.compile(r"https?://|www\.", re.I)
SPAM = re.compile(r"\b(buy now|free money|click here|limited offer|crypto giveaway|dm me for|earn \$\d+|"
                  r"100% guaranteed|work from home)\b", re.I)
DIMENSIONS = 256


def words(text: str) -> list[str]:
    return WORD.findall(text.lower())


def content_words(text: str) -> list[str]:
    return [w for w in words(text) if w not in STOPWORDS and len(w) > 1]


class LocalProvider:
    name = "local"
    fallback = ""  # the local provider is what others fall back to, never a fallback itself

    @classmethod
    def from_config(cls, config) -> LocalProvider:
        return cls()

    def moderate(self, text: str, *, member_id: int | None = None) -> Moderation:
        scores = {
            "threat": 1.0 if THREAT.search(text) else 0.0,
            "harassment": _harassment(text),
            "spam": _spam(text),
        }
        worst = max(scores, key=scores.get)
        flagged = scores[worst] >= 0.5
        reasons = {"threat": "reads as a threat", "harassment": "insults a person",
                   "spam": "looks like spam"}
        return Moderation(flagged, scores, reasons[worst] if flagged else "")

    def judge(self, submission: str, criteria: str, *, member_id: int | None = None) -> Judgement:
        wanted = list(dict.fromkeys(content_words(criteria)))
        have = set(content_words(submission))
        if not wanted:
            return Judgement(5.0, "No criteria to judge against; a neutral score.")
        met = [w for w in wanted if w in have]
        coverage = len(met) / len(wanted)
        # Substance: a thoughtful answer has some length, but length alone earns little.
        substance = min(1.0, len(have) / 60)
        score = round(10 * (0.75 * coverage + 0.25 * substance), 1)
        missed = [w for w in wanted if w not in have]
        rationale = f"Addresses {len(met)} of {len(wanted)} criteria terms"
        if missed:
            rationale += f"; says nothing about: {', '.join(missed[:6])}"
        return Judgement(score, rationale + ".")

    def summarise(self, text: str, *, max_words: int = 60, member_id: int | None = None) -> str:
        sentences = [s.strip() for s in SENTENCE.split(" ".join(text.split())) if s.strip()]
        if not sentences:
            return ""
        frequency = Counter(content_words(text))
        top = max(frequency.values(), default=1)

        def weight(sentence: str) -> float:
            terms = content_words(sentence)
            return sum(frequency[t] / top for t in terms) / math.sqrt(len(terms) + 1)

        ranked = sorted(range(len(sentences)), key=lambda i: (-weight(sentences[i]), i))
        chosen, used = [], 0
        for i in ranked:
            n = len(sentences[i].split())
            if used + n > max_words and chosen:
                continue
            chosen.append(i)
            used += n
            if used >= max_words:
                break
        summary = " ".join(sentences[i] for i in sorted(chosen))
        return " ".join(summary.split()[:max_words])

    def embed(self, text: str, *, member_id: int | None = None) -> list[float]:
        terms = content_words(text)
        vector = [0.0] * DIMENSIONS
        for feature in terms + [f"{a} {b}" for a, b in zip(terms, terms[1:])]:
            digest = hashlib.blake2b(feature.encode(), digest_size=8).digest()
            index = int.from_bytes(digest[:4], "big") % DIMENSIONS
            vector[index] += 1.0 if digest[4] & 1 else -1.0
        norm = math.sqrt(sum(v * v for v in vector)) or 1.0
        return [v / norm for v in vector]


def _harassment(text: str) -> float:
    insults = len(INSULT.findall(text))
    if not insults:
        return 0.0
    return min(1.0, 0.3 * insults + (0.4 if AIMED.search(text) else 0.0))


def _spam(text: str) -> float:
    links = len(LINK.findall(text))
    shouting = sum(c.isupper() for c in text) / max(1, sum(c.isalpha() for c in text))
    score = 0.5 * bool(SPAM.search(text)) + 0.2 * max(0, links - 1) + (0.3 if shouting > 0.7 and len(text) > 20 else 0)
    return min(1.0, score)
