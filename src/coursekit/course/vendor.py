"""The JavaScript the course's website and slide decks serve themselves, fetched from the npm registry.

The published pages make no request that leaves the machine they are served from: reveal.js, MathJax,
require.js and jQuery are copied next to them.  Each package is pinned in :data:`PACKAGES` with the
``dist.integrity`` hash the registry publishes for that version; :func:`vendor` downloads its tarball with
``urllib`` (no ``npm`` or Node.js is needed), caches it under ``build/.npm-cache/``, checks the hash and
extracts the files the pages use.
"""

from __future__ import annotations

import base64
import hashlib
import io
import shutil
import tarfile
import urllib.request
from pathlib import Path
from typing import NamedTuple

from coursekit.course.notebooks import repo_root

__all__ = ["Package", "PACKAGES", "REGISTRY", "tarball_url", "check_integrity", "fetch_tarball", "vendor"]

#: Where the tarballs come from.
REGISTRY = "https://registry.npmjs.org"


class Package(NamedTuple):
    """A pinned npm package: its version, the registry's ``dist.integrity`` of its tarball, and the files
    to extract (paths inside the package, a folder ending in ``/`` taking all it holds, minus ``exclude``)."""

    version: str
    integrity: str
    include: tuple[str, ...]
    exclude: tuple[str, ...] = ()


#: Every npm package the site and the slides serve.  To upgrade one, take ``version`` and
#: ``dist.integrity`` from ``https://registry.npmjs.org/<name>/<version>``.
PACKAGES: dict[str, Package] = {
    # nbconvert's reveal template is written for reveal.js 4 (dist/ UMD builds loaded with require.js)
    "reveal.js": Package(
        "4.6.1",
        "sha512-1CW0auaXNPmwmvQ7TwpszwVxMi2Xr5cTS3J3EBC/HHgbPF32Dn7aiu/LKWDOGjMbaDwKQiGmfqcoGQ74HUHCMw==",
        ("LICENSE", "dist/reveal.js", "dist/reveal.css", "dist/theme/white.css", "dist/theme/fonts/source-sans-pro/",
         "plugin/notes/notes.js")),
    # nbconvert's mathjax macro calls the MathJax 2 API; the CommonHTML output with the TeX fonts
    "mathjax": Package(
        "2.7.9",
        "sha512-NOGEDTIM9+MrsqnjPEjVGNx4q0GQxqm61yQwSK+/5S59i26wId5IC5gNu9/bu8+CCVl5p9G2IHcAl/wJa+5+BQ==",
        ("LICENSE", "MathJax.js", "config/TeX-AMS_CHTML-full.js", "config/Safe.js", "extensions/", "jax/input/TeX/",
         "jax/output/CommonHTML/", "jax/element/", "fonts/HTML-CSS/TeX/woff/", "fonts/HTML-CSS/TeX/otf/",
         "localization/en/", "localization/zh-hans/"),
        ("extensions/a11y/",)),
    "requirejs": Package(
        "2.3.7",
        "sha512-DouTG8T1WanGok6Qjg2SXuCMzszOo0eHeH9hDZ5Y4x8Je+9JB38HdTLT4/VA8OaUhBa0JPVHJ0pyBkM1z+pDsw==",
        ("require.js",)),
    "jquery": Package(
        "3.7.1",
        "sha512-m4avr8yL8kmFN8psrbFFFmB/If14iN5o9nw/NgnnM+kybDJpRsAynV2BsfpTYrTRysYUdADVD7CkUUizgkpLfg==",
        ("LICENSE.txt", "dist/jquery.min.js")),
}


def _package(name) -> Package:
    if not isinstance(name, str):
        raise TypeError(f"name must be the name of an npm package (str), got {type(name).__name__}")
    if name not in PACKAGES:
        raise ValueError(f"name must be one of the pinned packages {sorted(PACKAGES)}, got {name!r}")
    return PACKAGES[name]


def tarball_url(name: str) -> str:
    """The registry's URL of the pinned tarball of the package ``name``.

    >>> tarball_url("jquery")
    'https://registry.npmjs.org/jquery/-/jquery-3.7.1.tgz'
    """
    version = _package(name).version
    return f"{REGISTRY}/{name}/-/{name.rsplit('/', 1)[-1]}-{version}.tgz"


def check_integrity(data: bytes, integrity: str) -> None:
    """Raise :class:`ValueError` unless ``data`` has the npm ``integrity`` (``sha512-<base64 digest>``).

    >>> check_integrity(b"", "sha512-" + base64.b64encode(hashlib.sha512(b"").digest()).decode())
    >>> check_integrity(b"x", "sha512-" + base64.b64encode(hashlib.sha512(b"").digest()).decode())  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: integrity mismatch: expected sha512-z4PhNX7vuL3xVChQ1m2AB9Yg5AULVxXcg/...==, got sha512-...
    """
    if not isinstance(data, bytes):
        raise TypeError(f"data must be bytes, got {type(data).__name__}")
    if not isinstance(integrity, str) or not integrity.startswith("sha512-"):
        raise ValueError(f"integrity must be an npm sha512 integrity string ('sha512-<base64>'), got {integrity!r}")
    actual = "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode("ascii")
    if actual != integrity:
        raise ValueError(f"integrity mismatch: expected {integrity}, got {actual}")


def fetch_tarball(name: str, cache: Path | None = None, *, timeout: float = 60) -> bytes:
    """The pinned tarball of ``name``: from ``cache`` when a copy with the right hash is there, else
    downloaded from the registry (and written to ``cache``).

    Parameters
    ----------
    name : str
        A key of :data:`PACKAGES`.
    cache : Path, optional
        The folder of downloaded tarballs; defaults to ``<repo>/build/.npm-cache``.
    timeout : float, default 60
        Seconds allowed for the download.

    Returns
    -------
    bytes
        The tarball, whose sha512 matches the pinned integrity.

    Raises
    ------
    ValueError
        If the downloaded tarball does not have the pinned integrity (a cached copy that does not is
        downloaded again).
    """
    package = _package(name)
    cache = _folder("cache", cache, repo_root() / "build" / ".npm-cache")
    if isinstance(timeout, bool) or not isinstance(timeout, (int, float)) or not timeout > 0:
        raise ValueError(f"timeout must be a positive number of seconds, got {timeout!r}")
    url = tarball_url(name)
    cached = cache / url.rsplit("/", 1)[-1]
    if cached.is_file():
        data = cached.read_bytes()
        try:
            check_integrity(data, package.integrity)
            return data
        except ValueError:
            cached.unlink()  # a broken or tampered copy: download it again
    with urllib.request.urlopen(url, timeout=timeout) as response:
        data = response.read()
    check_integrity(data, package.integrity)
    cache.mkdir(parents=True, exist_ok=True)
    partial = cached.with_suffix(".part")
    partial.write_bytes(data)
    partial.replace(cached)
    return data


def _folder(argument: str, value, default: Path) -> Path:
    if value is None:
        return default
    if not isinstance(value, (str, Path)):
        raise TypeError(f"{argument} must be a folder (str or Path), got {type(value).__name__}")
    return Path(value)


def _wanted(path: str, package: Package) -> bool:
    def matches(prefixes):
        return any(path == p or (p.endswith("/") and path.startswith(p)) for p in prefixes)
    return matches(package.include) and not matches(package.exclude)


def vendor(names, dest, *, cache: Path | None = None) -> list[Path]:
    """Extract the pinned npm packages ``names`` into ``dest/<name>/`` (each emptied first).

    Parameters
    ----------
    names : str or list of str
        Keys of :data:`PACKAGES`.
    dest : str or Path
        The folder to extract into (created if missing).
    cache : Path, optional
        The tarball cache of :func:`fetch_tarball`.

    Returns
    -------
    list of Path
        The folder of each package, in the order of ``names``.

    Raises
    ------
    ValueError
        For an unknown package or a tarball whose hash is not the pinned one.

    Examples
    --------
    >>> vendor(["left-pad"], "build/vendor")
    Traceback (most recent call last):
    ...
    ValueError: name must be one of the pinned packages ['jquery', 'mathjax', 'requirejs', 'reveal.js'], got 'left-pad'
    """
    names = [names] if isinstance(names, str) else names
    if not isinstance(names, (list, tuple)) or not names:
        raise TypeError(f"names must be a package name or a non-empty list of them, got {names!r}")
    packages = [_package(name) for name in names]
    if dest is None or not isinstance(dest, (str, Path)):
        raise TypeError(f"dest must be a folder (str or Path), got {type(dest).__name__}")
    folders = []
    for name, package in zip(names, packages):
        data = fetch_tarball(name, cache)
        folder = Path(dest) / name
        if folder.exists():
            shutil.rmtree(folder)
        folder.mkdir(parents=True)
        with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as tar:
            members = []
            for member in tar.getmembers():
                inner = member.name.split("/", 1)[-1]  # npm tarballs hold one top folder, usually "package/"
                if member.isfile() and _wanted(inner, package):
                    member.name = inner
                    members.append(member)
            missing = [p for p in package.include
                       if not any(m.name == p or (p.endswith("/") and m.name.startswith(p)) for m in members)]
            if missing:
                raise ValueError(f"the {name} {package.version} tarball has no {missing}")
            tar.extractall(folder, members=members, filter="data")
        folders.append(folder)
    return folders
