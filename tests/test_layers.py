"""The architecture's boundaries: only app/read and workers know Redis."""
import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def imports(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_web_and_commands_never_import_redis():
    offenders = [str(p.relative_to(ROOT)) for folder in ("app/web", "commands")
                 for p in (ROOT / folder).rglob("*.py")
                 if any(n == "redis" or n.startswith(("redis.", "rq")) for n in imports(p))]
    assert offenders == []


def test_nothing_imports_the_web_layer():
    offenders = [str(p.relative_to(ROOT)) for folder in ("app/read", "commands", "workers", "app/models")
                 for p in (ROOT / folder).rglob("*.py")
                 if any(n.startswith("app.web") for n in imports(p))]
    assert offenders == []


def test_only_app_read_builds_key_names():
    offenders = [str(p.relative_to(ROOT)) for folder in ("app/web", "commands", "workers")
                 for p in (ROOT / folder).rglob("*.py") if '"at:' in p.read_text()]
    assert offenders == []
