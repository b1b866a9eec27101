"""`flask seed demo`: a believable community, deterministic for a given --seed."""
from __future__ import annotations
click_placeholder = None
