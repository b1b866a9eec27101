"""A stand-in for GitHub's REST API: the repository, its languages, topics and README (base64)."""
from __future__ import annotations

import base64

from tests.standins import StandIn

TINY_RAG_README = """# Tiny RAG

[![CI](https://img.shields.io/badge/ci-passing-green.svg)](https://github.com/octo/tiny-rag/actions)

Tiny RAG answers questions about your notes. It indexes them with embeddings and retrieves the
closest passages for a small local model.

## Features

- Indexes Markdown notes
- Answers with sources

```python
from tiny_rag import ask
print(ask("What did I learn about agents?"))
```

## How it fits together

```mermaid
graph TD
  Notes --> Index --> Answer
```

![Architecture diagram](docs/architecture.png "The pipeline")

<script>alert("pwned")</script>

### Licence

MIT, see LICENSE.
"""


def repository(owner: str, name: str, **extra) -> dict:
    """What the stand-in knows about one repository (its metadata, languages and README)."""
    return {"owner": owner, "name": name, "description": "Retrieval augmented generation on a laptop",
            "topics": ["rag", "LLM", "embeddings"], "languages": {"Python": 48000, "Shell": 1200},
            "stars": 1234, "homepage": "https://tiny-rag.example", "license": ("MIT", "MIT License"),
            "readme": TINY_RAG_README, **extra}


def github_stand_in() -> StandIn:
    repos: dict[str, dict] = {}
    stand_in: StandIn

    def found(match):
        return repos.get(f"{match['owner']}/{match['repo']}".lower())

    def repo(match, body):
        r = found(match)
        if r is None:
            return 404, {"message": "Not Found", "documentation_url": "https://docs.github.com/rest"}
        api = f"{stand_in.url}/repos/{r['owner']}/{r['name']}"
        spdx, license_name = r["license"] or (None, None)
        return 200, {
            "id": 4242, "node_id": "R_standin", "name": r["name"], "full_name": f"{r['owner']}/{r['name']}",
            "private": False, "owner": {"login": r["owner"], "id": 1, "type": "User", "url": f"{stand_in.url}/users/{r['owner']}"},
            "html_url": f"https://github.com/{r['owner']}/{r['name']}", "url": api,
            "languages_url": f"{api}/languages", "description": r["description"], "fork": False,
            "homepage": r["homepage"], "stargazers_count": r["stars"], "watchers_count": r["stars"],
            "language": next(iter(r["languages"]), None), "topics": r["topics"], "default_branch": "main",
            "license": {"key": spdx.lower(), "name": license_name, "spdx_id": spdx} if spdx else None,
            "visibility": "public", "archived": False,
        }

    def languages(match, body):
        r = found(match)
        return (200, r["languages"]) if r else (404, {"message": "Not Found"})

    def readme(match, body):
        r = found(match)
        if r is None or r["readme"] is None:
            return 404, {"message": "Not Found"}
        return 200, {"type": "file", "encoding": "base64", "name": "README.md", "path": "README.md",
                     "size": len(r["readme"].encode()), "sha": "abc123",
                     "content": base64.encodebytes(r["readme"].encode()).decode(),
                     "url": f"{stand_in.url}/repos/{r['owner']}/{r['name']}/contents/README.md",
                     "download_url": f"https://raw.githubusercontent.com/{r['owner']}/{r['name']}/main/README.md"}

    repo_path = r"/repos/(?P<owner>[^/]+)/(?P<repo>[^/]+)"
    stand_in = StandIn({("GET", repo_path): repo, ("GET", repo_path + "/languages"): languages,
                        ("GET", repo_path + "/readme"): readme})
    stand_in.repos = repos
    return stand_in
