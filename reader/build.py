"""The build identity of the rendered edition: a digest of everything that shapes a page.

A stored page is served only while its ``build`` equals this process's ``build_id()``, so the
digest must change with anything that can change the HTML a view renders. Nothing here is a
hand-kept list of files; the inputs are derived:

- code: every module of the reader package (reader/templating.py builds the public
  templates' Jinja2 environment), the URL configuration, the template context processors and
  every Django template tag library, and every project module those import, followed
  through their ``import`` statements (read from the source, so a module counts whether or
  not this process has imported it yet). A package's ``__init__`` counts only when a name is
  taken from it. Code outside the project (Django, OpenCC, Pillow…) counts by its installed
  distribution's name and version. Modules nothing of this imports (the desk, the importer,
  the tests) do not count;
- every file in every template directory the template engines' loaders search;
- the static files' manifest (hashed names appear in pages);
- the settings that reach HTML, by name (``RENDERING_SETTINGS``).

It is computed once per process (cached), and again only when one of those settings is
changed at run time (tests do).
"""

from __future__ import annotations

import ast
import hashlib
import json
from collections.abc import Iterator
from functools import lru_cache
from importlib import metadata
from pathlib import Path

from django.conf import settings
from django.core.files.storage import storages
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.template import engines
from django.template.backends.django import DjangoTemplates

ROOT_PACKAGE = "reader"

# The settings whose values appear in or decide a rendered page.
RENDERING_SETTINGS = (
    "SITE_URL",
    "STATIC_URL",
    "MEDIA_URL",
    "STORAGES",
    "LANGUAGE_CODE",
    "TIME_ZONE",
    "USE_TZ",
    "USE_I18N",
    "TEMPLATES",
)
# Settings that move the inputs themselves.
_INPUT_SETTINGS = {"BASE_DIR", "STATIC_ROOT", "ROOT_URLCONF", "INSTALLED_APPS"}


@lru_cache(maxsize=1)
def build_id() -> str:
    """This process's build: 16 hex digits of the digest of ``inputs()``."""
    digest = hashlib.sha256()
    for label, content in inputs():
        digest.update(f"{label}\0{len(content)}\0".encode())
        digest.update(content)
    return digest.hexdigest()[:16]


@receiver(setting_changed)
def _forget_build(setting: str, **kwargs) -> None:
    if setting in RENDERING_SETTINGS or setting in _INPUT_SETTINGS:
        build_id.cache_clear()


def inputs() -> Iterator[tuple[str, bytes]]:
    """Every input of the build as (label, content), in a stable order."""
    base = Path(settings.BASE_DIR)
    files, distributions = code()
    for path in files:
        yield f"code:{path.relative_to(base).as_posix()}", path.read_bytes()
    for name in sorted(distributions):
        if version := _version(name):
            yield f"distribution:{name}", version.encode()
    for order, folder, path in template_files():
        yield f"template:{order}:{path.relative_to(folder).as_posix()}", path.read_bytes()
    yield "static-manifest", static_manifest()
    for name in RENDERING_SETTINGS:
        value = getattr(settings, name, None)
        yield f"setting:{name}", json.dumps(value, sort_keys=True, default=str).encode()


# Code ---------------------------------------------------------------------------------------


def root_modules() -> set[str]:
    """Where rendering starts: the reader package, the URLs, context processors, tag libraries."""
    package = Path(settings.BASE_DIR) / ROOT_PACKAGE
    roots = {_module_name(path) for path in package.rglob("*.py")}
    roots.add(settings.ROOT_URLCONF)
    for backend in engines.all():
        if isinstance(backend, DjangoTemplates):
            roots.update(path.rpartition(".")[0] for path in backend.engine.context_processors)
            roots.update(backend.engine.libraries.values())
            roots.update(backend.engine.builtins)
        else:  # Jinja2: its environment is built in the reader package (reader/templating.py)
            roots.update(path.rpartition(".")[0] for path in backend.context_processors)
    return roots


def code() -> tuple[list[Path], set[str]]:
    """The project's source files reached from ``root_modules()`` through their imports, and
    the top-level names of the other packages they import."""
    seen: dict[str, Path] = {}
    outside: set[str] = set()
    pending = sorted(root_modules())
    while pending:
        name = pending.pop()
        if name in seen:
            continue
        path = _project_file(name)
        if path is None:
            outside.add(name.partition(".")[0])
            continue
        seen[name] = path
        pending.extend(_imports(path, name))
    return sorted(set(seen.values())), outside


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(settings.BASE_DIR).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _project_file(name: str) -> Path | None:
    """The source file of module ``name`` when it is one of the project's own."""
    base = Path(settings.BASE_DIR).joinpath(*name.split("."))
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def _imports(path: Path, name: str) -> set[str]:
    """The modules the source at ``path`` imports: ``from a import b`` names ``a.b`` when that
    is a module, else ``a`` (whose ``__init__`` defines ``b``)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_bytes(), filename=str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            origin = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                origin = ".".join([*anchor, *([origin] if origin else [])])
            for alias in node.names:
                candidate = f"{origin}.{alias.name}"
                found.add(candidate if _project_file(candidate) else origin)
    found.discard("__future__")
    return found


def _version(top_level: str) -> str:
    """The installed distributions providing ``top_level``, with versions ('' for the stdlib)."""
    names = sorted(_distributions().get(top_level, ()))
    return ",".join(f"{n}=={metadata.version(n)}" for n in names)


@lru_cache(maxsize=1)
def _distributions() -> dict[str, list[str]]:
    return metadata.packages_distributions()


# Templates, static files --------------------------------------------------------------------


def template_files() -> list[tuple[int, Path, Path]]:
    """Every file in every directory a template loader searches, as (the directory's place in
    the search order, directory, file)."""
    folders: list[Path] = []
    for backend in engines.all():
        if not isinstance(backend, DjangoTemplates):
            folders.extend(Path(d) for d in backend.template_dirs)
            continue
        for loader in backend.engine.template_loaders:
            for inner in getattr(loader, "loaders", [loader]):
                folders.extend(Path(d) for d in inner.get_dirs())
    found = []
    for order, folder in enumerate(dict.fromkeys(folders)):
        if folder.is_dir():
            found += [(order, folder, path) for path in sorted(folder.rglob("*")) if path.is_file()]
    return found


def static_manifest() -> bytes:
    """The static files' manifest (their hashed names appear in pages), empty without one."""
    storage = storages["staticfiles"]
    if hasattr(storage, "read_manifest"):
        return (storage.read_manifest() or "").encode()
    path = Path(settings.STATIC_ROOT) / "staticfiles.json"
    return path.read_bytes() if path.is_file() else b""
