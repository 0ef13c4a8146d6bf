"""The incremental scan cache: content hashes in, model resources out.

A scan is cut into units (`tutela.engine.parallel.Unit`): one per Terraform
root module, one per other IaC file. A unit's key hashes everything its result
depends on:

- Terraform: every `.tf` / `.tf.json` file of the root module directory and of
  each local module it calls, directly or not (a module directory is the unit
  of change: editing one file invalidates its module and every root module that
  calls it), the root's tfvars files, the `--var-file`s, and which files of the
  root directory the scan covers;
- any other file: its content;
- always: the cache format, the tutela version, a fingerprint of the installed
  tutela code, the Python version and the scan root (paths in results are
  relative to it).

Files that Terraform file functions read (`file()`, `templatefile()`,
`fileset()`...) are recorded with their content hashes in the entry and checked
when it is reused. Which local modules a directory calls is itself cached by the
directory's content hash; for a directory not seen before it is read with a
pattern (cheap, it may over-approximate) and checked against the parser once the
units are loaded, re-planning in the rare case they disagree.

The cache lives in `.tutela-cache/` under the scan root by default. Entries are
written atomically (temporary file, then rename); an entry that cannot be read,
is truncated or corrupt is ignored and rebuilt: the cache can never fail a scan.
"""

from __future__ import annotations

import contextlib
import hashlib
import operator
import os
import re
import stat
import sys
import time
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from tutela.engine.parallel import (
    CLOUDFORMATION,
    DOCKERFILE,
    KUBERNETES,
    PLAN,
    TERRAFORM,
    LoadOptions,
    Unit,
    UnitResult,
    decode_kinds,
    decode_result,
    dumps,
    kind_key,
    load_units,
    loads,
    rel_path,
)
from tutela.sources.raw import ParseError

if TYPE_CHECKING:
    from tutela.model.base import Resource

CACHE_FORMAT = 2  # 2: unit results pickled kind by kind (parallel.encode_result)
CACHE_DIR_NAME = ".tutela-cache"
_MAGIC = b"tutela-cache\x00"
_KEY_LEN = 32  # hex characters
_STALE_SECONDS = 7 * 24 * 3600  # unused entries older than this go when the cache grows

Progress = Callable[[str, int, int], None]
T = TypeVar("T")


@dataclass
class LoadStats:
    """What a load did: for tests (a hook, not a timer) and `--verbose` notes."""

    units: int = 0
    hits: int = 0
    loaded: list[str] = field(default_factory=list)  # unit paths (rel.) parsed this time
    mode: str = "in-process"
    replans: int = 0


# --------------------------------------------------------------------------- hashing


def _digest(*parts: bytes | str) -> str:
    return _digest_framed(_frames(parts))


def _frames(parts: Iterable[bytes | str]) -> bytes:
    """The bytes `_digest` hashes: each part prefixed with its length. Concatenated frames
    hash as the parts together do, so a key can be made of pieces framed once per scan."""
    chunks: list[bytes] = []
    for part in parts:
        data = part.encode("utf-8", "surrogateescape") if isinstance(part, str) else part
        chunks += (len(data).to_bytes(8, "little"), data)
    return b"".join(chunks)


def _digest_framed(framed: bytes) -> str:
    return hashlib.blake2b(framed, digest_size=_KEY_LEN // 2).hexdigest()


# A file's (size, mtime_ns, inode, content hash, when that was recorded in ns).
FileStamp = tuple[int, int, int, str, int]
_RACY_NS = 2_000_000_000  # a file changed this close to its recording is hashed again
# A module directory's files as last hashed: (name, size, mtime_ns, inode) of each (in name
# order), their content hashes, and the directory's hash (see `Hasher.module_dir`).
DirStamp = tuple[tuple[tuple[str, int, int, int], ...], tuple[str, ...], str]


class Hasher:
    """Content hashes of files and directories, each computed once per scan.

    `stamps` (from the cache index) let an unchanged file (same size, modification time
    and inode as when it was hashed) skip being read again, as git's index does; a file
    modified within two seconds of its recording is always read ("racily clean").
    `dir_stamps` do the same for a whole module directory, with one comparison rather than
    one per file: a directory is stamped only when each of its files has a stamp that is
    not racy, so it holds while every file's (size, mtime, inode) does.
    """

    def __init__(
        self,
        stamps: dict[str, FileStamp] | None = None,
        dir_stamps: dict[str, DirStamp] | None = None,
    ) -> None:
        self._files: dict[str, str] = {}
        self._sizes: dict[str, int] = {}
        self._dirs: dict[str, tuple[str, list[str]]] = {}
        self._listings: dict[str, list[os.DirEntry[str]]] = {}  # directory -> its entries
        self.bytes_read = 0
        self.texts: dict[str, bytes] = {}
        self.stamps: dict[str, FileStamp] = stamps if stamps is not None else {}
        self.dir_stamps: dict[str, DirStamp] = dir_stamps if dir_stamps is not None else {}
        self.stamps_changed = False

    def file(self, path: str, *, keep: bool = False, st: os.stat_result | None = None) -> str:
        """Hash of a file's bytes ("missing" when it cannot be read); `st`: the file's stat
        when the caller has it already (from a directory listing), saving a system call."""
        cached = self._files.get(path)
        if cached is not None:
            return cached
        if st is None:
            try:
                st = os.stat(path)
            except OSError:
                st = None
        stamp = self.stamps.get(path)
        if (
            st is not None
            and stamp is not None
            and stamp[0] == st.st_size
            and stamp[1] == st.st_mtime_ns
            and stamp[2] == st.st_ino
            and stamp[4] - st.st_mtime_ns > _RACY_NS
        ):
            self._files[path] = stamp[3]
            self._sizes[path] = st.st_size
            return stamp[3]
        try:
            with open(path, "rb") as fh:
                data = fh.read()
        except OSError:
            digest = "missing"
            if self.stamps.pop(path, None) is not None:
                self.stamps_changed = True
        else:
            self.bytes_read += len(data)
            self._sizes[path] = len(data)
            digest = _digest(data)
            if keep:
                self.texts[path] = data
            if st is not None and st.st_size == len(data):
                self.stamps[path] = (st.st_size, st.st_mtime_ns, st.st_ino, digest, time.time_ns())
                self.stamps_changed = True
        self._files[path] = digest
        return digest

    def prune_stamps(self) -> None:
        """Forget files long gone (keeps those of other scans of the same root for a while)."""
        if len(self.stamps) > 4 * len(self._files) + 10_000:
            for path in [p for p in self.stamps if p not in self._files]:
                del self.stamps[path]
            self.stamps_changed = True
        if len(self.dir_stamps) > 4 * len(self._dirs) + 1_000:
            for path in [p for p in self.dir_stamps if p not in self._dirs]:
                del self.dir_stamps[path]
            self.stamps_changed = True
        if self.stamps_changed:
            # A stamped directory's files need no stamps of their own (a smaller index to
            # read every scan): should the directory change, its few files are read again.
            for directory, (_, files) in self._dirs.items():
                if directory in self.dir_stamps:
                    for path in files:
                        self.stamps.pop(path, None)

    def digests(self, root: str) -> dict[str, str]:
        """Content hash of every file hashed so far, by path relative to `root`."""
        if os.sep != "/" or root == os.sep:
            return {_rel(p, root): d for p, d in self._files.items() if d != "missing"}
        # `rel_path` inlined for the files under the root (most; thousands of calls).
        prefix = root + "/"
        n = len(prefix)
        return {
            p[n:] if p.startswith(prefix) else _rel(p, root): d
            for p, d in self._files.items()
            if d != "missing"
        }

    def dir_hashes(self) -> set[str]:
        return {h for h, _ in self._dirs.values()}

    def size(self, path: str) -> int:
        """Size in bytes of a hashed file (0 when unknown)."""
        return self._sizes.get(path, 0)

    def total_size(self, paths: Iterable[str]) -> int:
        sizes = self._sizes
        return sum(sizes.get(p, 0) for p in paths)

    def tfvars(self, directory: str) -> list[os.DirEntry[str]]:
        """A root module directory's tfvars files (in the evaluator's order)."""
        if directory not in self._listings:
            self.module_dir(directory)  # lists it
        return _tfvars_entries(self._listings[directory])

    def entry(self, entry: os.DirEntry[str], *, keep: bool = False) -> str:
        """`file` of a listed file, with the stat the listing may have already."""
        try:
            st: os.stat_result | None = entry.stat()
        except OSError:
            st = None  # gone since the listing: `file` finds it missing
        return self.file(entry.path, keep=keep, st=st)

    def module_dir(self, directory: str) -> tuple[str, list[str]]:
        """Hash of a module directory's Terraform files (names and contents), and the files;
        ("none", []) when it holds none (a module source that does not exist)."""
        cached = self._dirs.get(directory)
        if cached is not None:
            return cached
        listing = self._listings[directory] = _listing(directory)
        entries = _module_entries(listing)
        if not entries:
            result: tuple[str, list[str]] = ("none", [])
        else:
            result = self._stamped_dir(directory, entries) or self._hash_dir(directory, entries)
        self._dirs[directory] = result
        return result

    def _stamped_dir(
        self, directory: str, entries: list[os.DirEntry[str]]
    ) -> tuple[str, list[str]] | None:
        """The directory's hash and files from its stamp, when none of its files changed."""
        stamp = self.dir_stamps.get(directory)
        if stamp is None:
            return None
        try:
            seen = tuple(map(_stat_key, entries))
        except OSError:
            return None
        files = [e.path for e in entries]
        if seen != stamp[0] or not self._files.keys().isdisjoint(files):
            return None  # changed, or some file hashed already this scan: file by file
        self._files.update(zip(files, stamp[1], strict=True))
        self._sizes.update(zip(files, [s[1] for s in seen], strict=True))
        return stamp[2], files

    def _hash_dir(
        self, directory: str, entries: list[os.DirEntry[str]]
    ) -> tuple[str, list[str]]:
        """The directory's hash and files, file by file; stamps the directory when it can."""
        files = [e.path for e in entries]
        digests = [self.entry(e, keep=True) for e in entries]
        parts: list[str] = []
        seen: list[tuple[str, int, int, int]] = []
        for entry, path, digest in zip(entries, files, digests, strict=True):
            parts += (entry.name, digest)
            s = self.stamps.get(path)  # recorded by `file` (or found valid) just now
            if s is not None and s[3] == digest and s[4] - s[1] > _RACY_NS:
                seen.append((entry.name, s[0], s[1], s[2]))
        dir_hash = _digest(*parts)
        # Stamped only when every file is: not while one is missing, racy or was changed
        # while read (the next scan goes file by file again).
        new = (tuple(seen), tuple(digests), dir_hash) if len(seen) == len(files) else None
        if self.dir_stamps.get(directory) != new:
            if new is None:
                del self.dir_stamps[directory]
            else:
                self.dir_stamps[directory] = new
            self.stamps_changed = True
        return dir_hash, files

    def fingerprint(self, path: str) -> str:
        """What file functions can see of a path: a file's content, a directory's listing."""
        try:
            st = os.stat(path)  # one stat tells a directory and stamps a file
        except OSError:
            return self.file(path)  # "missing"
        if stat.S_ISDIR(st.st_mode):
            listing: list[str] = []
            for dirpath, dirnames, filenames in os.walk(path):
                dirnames.sort()
                rel = os.path.relpath(dirpath, path)
                listing += [f"{rel}/{f}" for f in sorted(filenames)]
            return "dir:" + _digest(*listing)
        return self.file(path, st=st)


def _listing(directory: str) -> list[os.DirEntry[str]]:
    """A directory's entries (none when it cannot be listed), listed once per scan: the
    entries give the names and stats of its files (`DirEntry.stat()` is cached)."""
    try:
        with os.scandir(directory) as entries:
            return list(entries)
    except OSError:
        return []


def _module_entries(listing: Iterable[os.DirEntry[str]]) -> list[os.DirEntry[str]]:
    """The files a Terraform module directory is made of (as the evaluator reads them), in
    path order (all in one directory: name order)."""
    from tutela.sources.terraform.evaluate import _is_module_file

    return sorted(filter(_is_module_file, listing), key=_entry_name)


_entry_name = operator.attrgetter("name")


def _stat_key(entry: os.DirEntry[str]) -> tuple[str, int, int, int]:
    """What a directory stamp compares of a file: its name, size, mtime and inode."""
    st = entry.stat()
    return entry.name, st.st_size, st.st_mtime_ns, st.st_ino


def _tfvars_entries(listing: list[os.DirEntry[str]]) -> list[os.DirEntry[str]]:
    """The tfvars files Terraform reads in a root module directory, in its order: those
    `evaluate._tfvars_files` picks (a test keeps the two in step), from a listing made
    already rather than listing every root module directory a second time."""
    found = [e for e in listing if e.name.endswith((".tfvars", ".tfvars.json"))]  # all those
    by_name = {entry.name: entry for entry in found}
    first = [by_name[n] for n in ("terraform.tfvars", "terraform.tfvars.json") if n in by_name]
    auto = [e for e in found if e.name.endswith((".auto.tfvars", ".auto.tfvars.json"))]
    return first + sorted(auto, key=_entry_name)


# `source = "./x"` / `"source": "../x"`: local module sources, read without parsing. It may
# also match other attributes named source: harmless, such extra directories are checked.
_SOURCE_HCL = re.compile(rb'\bsource\s*=\s*"(\.\.?(?:/[^"\\\n]*)?)"')
_SOURCE_JSON = re.compile(rb'"source"\s*:\s*"(\.\.?(?:/[^"\\\n]*)?)"')


def guess_calls(directory: str, files: Iterable[str], texts: dict[str, bytes]) -> tuple[str, ...]:
    """Local module directories that `directory`'s files seem to call (absolute)."""
    out: set[str] = set()
    for path in files:
        data = texts.get(path)
        if data is None:
            try:
                data = Path(path).read_bytes()
            except OSError:
                continue
        if b"module" not in data:
            continue
        pattern = _SOURCE_JSON if path.endswith(".json") else _SOURCE_HCL
        for m in pattern.finditer(data):
            source = m.group(1).decode("utf-8", "replace")
            target = os.path.normpath(os.path.join(directory, source))
            if target != directory:
                out.add(target)
    return tuple(sorted(out))


def _code_files(base: str) -> list[tuple[str, os.stat_result]]:
    """Every `.py` file under `base` with its stat, in `os.walk` order (names sorted)."""
    found: list[tuple[str, os.stat_result]] = []
    # `os.walk(base)` top-down with sorted names, done with `scandir` entries (a cached scan
    # pays for this walk every time, hundreds of directories of rule examples included).
    pending = [base]
    while pending:
        dirpath = pending.pop()
        try:
            with os.scandir(dirpath) as listing:
                entries = sorted(listing, key=_entry_name)
        except OSError:
            continue
        subdirs = []
        for entry in entries:
            if _is_dir(entry):
                if entry.name != "__pycache__" and not _is_symlink(entry):  # as `os.walk`
                    subdirs.append(entry.path)
            elif entry.name.endswith(".py"):
                try:
                    st = entry.stat()
                except OSError:
                    continue
                found.append((entry.path, st))
        pending += reversed(subdirs)
    return found


_CODE_MEMO = "code-fingerprints.pickle"


def _code_fingerprint(cache_base: Path | None = None, package: str | None = None) -> str:
    """What tutela's own code is: a changed checkout or install invalidates the cache.

    The contents of the package's modules are hashed, which is what matters (a CI job
    that reinstalls the same tutela keeps its cache); reading them costs ~30 ms, so the
    digest is remembered in `cache_base` by the modules' sizes and times, which a scan
    checks every time (~3 ms)."""
    import tutela

    base = package or os.path.dirname(os.path.abspath(tutela.__file__))
    files = _code_files(base)
    stamps = _digest(
        tutela.__version__,
        *(f"{p[len(base):]}:{st.st_size}:{st.st_mtime_ns}:{st.st_ino}" for p, st in files),
    )
    memo_path = cache_base / _CODE_MEMO if cache_base is not None else None
    memo: dict[str, str] = {}
    if memo_path is not None:
        with contextlib.suppress(Exception):
            loaded = loads(memo_path.read_bytes())
            if isinstance(loaded, dict):
                memo = loaded
        if isinstance(memo.get(stamps), str):
            return memo[stamps]
    parts: list[bytes | str] = [tutela.__version__]
    for path, _ in files:
        try:
            with open(path, "rb") as fh:
                parts += [path[len(base) :], fh.read()]
        except OSError:
            parts += [path[len(base) :], "unreadable"]
    content = _digest(*parts)
    if memo_path is not None:
        kept = dict(list(memo.items())[-7:])  # a few installs side by side, no more
        kept[stamps] = content
        with contextlib.suppress(OSError):
            _atomic_write(memo_path, dumps(kept))
    return content


def _is_dir(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_dir()
    except OSError:
        return False


def _is_symlink(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_symlink()
    except OSError:
        return False


# --------------------------------------------------------------------------- storage


class ScanCache:
    """Unit entries and the directory-calls index in one cache directory."""

    def __init__(self, directory: Path, root: Path) -> None:
        self.base = directory
        salt = _digest(
            str(CACHE_FORMAT),
            _code_fingerprint(directory),
            f"{sys.version_info[0]}.{sys.version_info[1]}",
            str(root),
        )
        self.salt = salt
        self.dir = directory / f"v{CACHE_FORMAT}-{salt[:16]}"
        self.units_dir = self.dir / "units"
        self._units_str = str(self.units_dir)
        self.index: dict[str, Any] = self._read_index()
        self._index_dirty = False
        self.used: set[str] = set()
        self._mtimes: dict[str, float] = {}  # entry file name -> modification time, when known
        self.started = time.time()

    # ---- index: directory hash -> local module sources (rel. to the root); file stamps

    def _read_index(self) -> dict[str, Any]:
        try:
            index = loads((self.dir / "index.pickle").read_bytes())
        except Exception:  # missing, unreadable or corrupt: start afresh
            return {}
        return index if isinstance(index, dict) else {}

    def calls(self, dir_hash: str) -> tuple[str, ...] | None:
        calls = self.index.setdefault("calls", {}).get(dir_hash)
        return calls if isinstance(calls, tuple) else None

    def set_calls(self, dir_hash: str, calls: tuple[str, ...]) -> None:
        table = self.index.setdefault("calls", {})
        if table.get(dir_hash) != calls:
            table[dir_hash] = calls
            self._index_dirty = True

    def guessed(self, dir_hash: str) -> tuple[str, ...] | None:
        calls = self.index.setdefault("guessed", {}).get(dir_hash)
        return calls if isinstance(calls, tuple) else None

    def set_guessed(self, dir_hash: str, calls: tuple[str, ...]) -> None:
        self.index.setdefault("guessed", {})[dir_hash] = calls
        self._index_dirty = True

    def stamps(self) -> dict[str, FileStamp]:
        stamps = self.index.get("stamps")
        if not isinstance(stamps, dict):
            stamps = self.index["stamps"] = {}
        return stamps

    def dir_stamps(self) -> dict[str, DirStamp]:
        stamps = self.index.get("dir_stamps")
        if not isinstance(stamps, dict):
            stamps = self.index["dir_stamps"] = {}
        return stamps

    def stamps_changed(self) -> None:
        self._index_dirty = True

    def prune_index(self, seen: set[str]) -> None:
        """Forget the calls of directory contents long gone (kept while the index is small)."""
        for name in ("calls", "guessed"):
            table = self.index.get(name)
            if isinstance(table, dict) and len(table) > 4 * len(seen) + 10_000:
                self.index[name] = {h: c for h, c in table.items() if h in seen}
                self._index_dirty = True

    # ---- unit entries

    def _entry_path(self, key: str) -> Path:
        return self.units_dir / f"{key}.bin"

    def get(self, key: str) -> tuple[dict[str, str], bytes] | None:
        """(touched fingerprints, pickled UnitResult) of a valid-looking entry, else None."""
        name = f"{key}.bin"
        try:  # a string path: a `Path` per unit costs more than reading the entry
            data, st = _read_file(os.path.join(self._units_str, name))
        except OSError:
            return None
        found = _parse_entry(data, key)
        if found is not None:
            self.used.add(key)
            self._mtimes[name] = st.st_mtime  # spares `_tidy` a stat per entry
        return found

    def put(self, key: str, touched: dict[str, str], blob: bytes) -> None:
        meta = dumps(touched)
        data = b"".join(
            (_MAGIC, key.encode("ascii"), len(meta).to_bytes(8, "little"), meta, blob)
        )
        self.used.add(key)
        self._mtimes[f"{key}.bin"] = time.time()  # written now
        _atomic_write(self._entry_path(key), data)

    def close(self) -> None:
        """Save the index; tidy old cache versions and long-unused entries. Never raises."""
        try:
            if self._index_dirty:
                _atomic_write(self.dir / "index.pickle", dumps(self.index))
            self._tidy()
        except OSError:
            pass

    def _tidy(self) -> None:
        if not self.base.is_dir():
            return
        marker = self.base / "CACHEDIR.TAG"
        if not marker.exists():
            _atomic_write(
                marker,
                b"Signature: 8a477f597d28d172789f06886806bc55\n"
                b"# tutela scan cache: safe to delete (`tutela scan --no-cache` skips it).\n",
            )
            _atomic_write(self.base / ".gitignore", b"*\n")
        import shutil

        for child in self.base.iterdir():
            if child.is_dir() and child.name.startswith("v") and child != self.dir:
                shutil.rmtree(child, ignore_errors=True)  # another tutela version's cache
        try:
            entries = list(os.scandir(self.units_dir))
        except OSError:
            return
        now = time.time()
        used = {f"{k}.bin" for k in self.used}
        if len(entries) <= 2 * len(used) + 256:
            for e in entries:
                if e.name in used:
                    mtime = self._mtimes.get(e.name)
                    if mtime is None:
                        mtime = e.stat().st_mtime
                    if now - mtime > _STALE_SECONDS / 2:
                        os.utime(e.path)
            return
        for e in entries:
            if e.name in used:
                os.utime(e.path)
            elif now - e.stat().st_mtime > _STALE_SECONDS:
                with contextlib.suppress(OSError):
                    os.unlink(e.path)


def read_entry(path: str | Path, key: str) -> tuple[dict[str, str], bytes] | None:
    """The (touched fingerprints, pickled UnitResult) of the entry file of `key`."""
    try:
        data = _read_file(path)[0]
    except OSError:
        return None
    return _parse_entry(data, key)


def _parse_entry(data: bytes, key: str) -> tuple[dict[str, str], bytes] | None:
    head = len(_MAGIC) + _KEY_LEN + 8
    if len(data) < head or not data.startswith(_MAGIC):
        return None
    if data[len(_MAGIC) : len(_MAGIC) + _KEY_LEN].decode("ascii", "replace") != key:
        return None
    meta_len = int.from_bytes(data[head - 8 : head], "little")
    try:
        touched = loads(data[head : head + meta_len])
    except Exception:
        return None
    if not isinstance(touched, dict):
        return None
    return touched, data[head + meta_len :]


def _read_file(path: str | Path) -> tuple[bytes, os.stat_result]:
    """A file's bytes and stat: `Path.read_bytes` in fewer calls (a warm scan reads an entry
    per unit), a read of the stated size, then reads to the end in case the file grew."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
    try:
        st = os.fstat(fd)
        chunks = [os.read(fd, st.st_size + 1)]
        while chunks[-1]:
            chunks.append(os.read(fd, 1 << 16))
    finally:
        os.close(fd)
    return chunks[0] if len(chunks) == 2 else b"".join(chunks), st


def previous_result(cache_dir: Path, key: str) -> UnitResult | None:
    """The cached result of unit entry `key` in the versioned cache directory, if any."""
    found = read_entry(cache_dir / "units" / f"{key}.bin", key)
    if found is None:
        return None
    try:
        return decode_result(found[1])
    except Exception:
        return None


def _atomic_write(path: Path, data: bytes) -> None:
    import tempfile

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=path.suffix)
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            os.replace(tmp, path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise
    except OSError:
        pass  # a read-only or full disk: the scan goes on without caching


# --------------------------------------------------------------------------- planning


_rel = rel_path


def _abs(rel: str, root: str) -> str:
    return os.path.normpath(os.path.join(root, rel))


@dataclass
class _Planned:
    unit: Unit
    key: str


class Planner:
    """Turns discovered files into units with cache keys."""

    def __init__(
        self, root: str, hasher: Hasher, cache: ScanCache | None, salt: str, var_key: str
    ) -> None:
        self.root = root
        self.hasher = hasher
        self.cache = cache
        self.salt = salt
        self.var_key = var_key
        self.exact: dict[str, tuple[str, ...]] = {}  # abs dir -> call targets, from the parser
        self._guessed: dict[str, tuple[str, ...]] = {}
        # Directories by path relative to the root and back: the few module directories come
        # up again in every directory calling them.
        self._abs_of: dict[str, str] = {}
        self._rel_of: dict[str, str] = {}

    def _to_abs(self, rel: str) -> str:
        full = self._abs_of.get(rel)
        if full is None:
            full = self._abs_of[rel] = _abs(rel, self.root)
        return full

    def _to_rel(self, path: str) -> str:
        rel = self._rel_of.get(path)
        if rel is None:
            rel = self._rel_of[path] = _rel(path, self.root)
        return rel

    def guessed(self, directory: str) -> tuple[str, ...]:
        """The calls the source pattern finds (a function of the directory's content)."""
        calls = self._guessed.get(directory)
        if calls is None:
            dir_hash, files = self.hasher.module_dir(directory)
            cached = self.cache.guessed(dir_hash) if self.cache is not None and files else None
            if cached is not None:
                calls = tuple(map(self._to_abs, cached))
            else:
                calls = guess_calls(directory, files, self.hasher.texts) if files else ()
                if self.cache is not None and files:
                    self.cache.set_guessed(dir_hash, tuple(_rel(c, self.root) for c in calls))
            self._guessed[directory] = calls
        return calls

    def known(self, directory: str) -> tuple[str, ...] | None:
        """The parser's calls of `directory`: from this scan, else from the index."""
        calls = self.exact.get(directory)
        if calls is None and self.cache is not None:
            dir_hash, files = self.hasher.module_dir(directory)
            cached = self.cache.calls(dir_hash) if files else ()
            if cached is not None:
                calls = self.exact[directory] = tuple(map(self._to_abs, cached))
        return calls

    def _edges(self, directory: str) -> set[str]:
        """Calls to directories that hold Terraform files (what the evaluator follows)."""
        calls = self.known(directory)
        if calls is None:
            calls = self.guessed(directory)
        return {t for t in calls if self.hasher.module_dir(t)[1]}

    def learn(self, directory: str, calls: tuple[str, ...]) -> bool:
        """Record the parser's calls of `directory`; True when the plan assumed other edges
        or a call the key did not watch."""
        previous = self._edges(directory)
        self.exact[directory] = calls
        if self.cache is not None:
            dir_hash = self.hasher.module_dir(directory)[0]
            self.cache.set_calls(dir_hash, tuple(_rel(c, self.root) for c in calls))
        unwatched = not set(calls) <= set(self.guessed(directory))
        return unwatched or previous != self._edges(directory)

    def terraform(self, scanned: dict[str, set[str]]) -> list[_Planned]:
        from tutela.sources.terraform.evaluate import find_roots

        edges: dict[str, set[str]] = {}
        pending = list(scanned)
        while pending:
            directory = pending.pop()
            if directory in edges:
                continue
            targets = self._edges(directory)
            edges[directory] = targets
            pending.extend(t for t in targets if t not in edges)
        roots = find_roots(list(scanned), edges, self._to_rel)
        planned = []
        # A directory's part of a key is the same in every root module reaching it (shared
        # modules are reached by many): framed once per plan, with its files' size.
        segments: dict[str, tuple[bytes, int]] = {}
        for root_dir in roots:
            closure: list[str] = []
            seen = {root_dir}
            stack = [root_dir]
            while stack:
                d = stack.pop()
                for t in edges.get(d, ()):
                    if t not in seen:
                        seen.add(t)
                        closure.append(t)
                        stack.append(t)
            closure.sort()
            parts: list[str] = [self.salt, TERRAFORM, self._to_rel(root_dir), self.var_key]
            files = scanned.get(root_dir)
            parts.append("\x00".join(sorted(files)) if files is not None else "*")
            framed = [_frames(parts)]
            weight = 0
            for d in (root_dir, *closure):
                segment = segments.get(d)
                if segment is None:
                    segment = segments[d] = self._segment(d)
                framed.append(segment[0])
                weight += segment[1]
            vf_parts: list[str] = []
            for vf in self.hasher.tfvars(root_dir):
                vf_parts += [vf.name, self.hasher.entry(vf)]
            framed.append(_frames(vf_parts))
            unit = Unit(
                TERRAFORM,
                root_dir,
                frozenset(files) if files is not None else None,
                tuple(closure),
                weight,
            )
            planned.append(_Planned(unit, _digest_framed(b"".join(framed))))
        return planned

    def _segment(self, directory: str) -> tuple[bytes, int]:
        """`directory`'s part of the keys of the root modules reaching it (framed: see
        `_frames`), and the size of its files."""
        dir_hash, dir_files = self.hasher.module_dir(directory)
        parts = [self._to_rel(directory), dir_hash]
        # Every call the files seem to make, to a directory with Terraform files or not (it
        # may gain some), is watched: the pattern finds them all.
        watched = set(self.guessed(directory)) | set(self.known(directory) or ())
        for t in sorted(watched):
            parts += ["call", self._to_rel(t), self.hasher.module_dir(t)[0]]
        return _frames(parts), self.hasher.total_size(dir_files)

    def file(self, kind: str, path: Path) -> _Planned:
        full = os.path.abspath(path)
        digest = self.hasher.file(full)
        key = _digest(self.salt, kind, _rel(full, self.root), digest)
        return _Planned(Unit(kind, full, weight=self.hasher.size(full)), key)


# --------------------------------------------------------------------------- the load


def _var_values(root: Path, var_files: Sequence[Path]) -> tuple[dict[str, Any], list[ParseError]]:
    if not var_files:
        return {}, []
    from tutela.sources.terraform.evaluate import Loader, read_var_files

    loader = Loader(root)
    return read_var_files(loader, root, var_files), list(loader.errors)


@dataclass(slots=True)
class LoadedUnit:
    """One unit of a load: parsed now, or its cached result still pickled."""

    unit: Unit
    key: str  # the cache key: a hash of everything the unit's result depends on
    hit: bool  # from the cache
    _result: UnitResult | None
    _blob: bytes | None
    _options: LoadOptions

    def result(self) -> UnitResult:
        """The unit's resources and errors (unpickled on first use; an entry that turns out
        corrupt is parsed again: the cache never fails a scan)."""
        if self._result is None:
            try:
                loaded: UnitResult | None = decode_result(self._blob or b"")
            except Exception:
                loaded = None
            if loaded is None:
                from tutela.engine.parallel import load_batch

                loaded = next(iter(load_batch([self.unit], self._options)))
            self._result, self._blob = loaded, None
        return self._result

    def resources_of(self, kinds: Collection[type[Resource]]) -> list[Resource]:
        """The unit's resources of exactly these types, in order, unpickling only them
        while the entry is still pickled."""
        if self._result is None and self._blob is not None:
            try:
                return decode_kinds(self._blob, {kind_key(k) for k in kinds})
            except Exception:
                pass  # corrupt: result() parses the unit again
        chosen = set(kinds)
        return [r for r in self.result().resources if type(r) in chosen]


@dataclass(slots=True)
class Loaded:
    """What loading produced, unit by unit, before anything is unpickled."""

    units: list[LoadedUnit]
    errors: list[ParseError]  # of the --var-files
    digests: dict[str, str]  # content hash of every file hashed (rel. to the root)
    salt: str  # the cache's salt ("" without a cache)
    cache_dir: Path | None  # the versioned cache directory (None without a cache)

    def resources_and_errors(self) -> tuple[list[Resource], list[ParseError]]:
        """Every unit's resources (in unit order) and every parse error once."""
        resources: list[Resource] = []
        errors = list(self.errors)
        seen_errors: set[ParseError] = set(errors)
        for loaded in self.units:
            result = loaded.result()
            resources.extend(result.resources)
            for e in result.errors:  # a module shared by root modules reports its errors once
                if e not in seen_errors:
                    seen_errors.add(e)
                    errors.append(e)
        return resources, errors


def load_cached(
    terraform: Sequence[Path],
    others: Sequence[tuple[str, Path]],
    *,
    root: Path,
    var_files: Sequence[Path] = (),
    cache_dir: Path | None = None,
    jobs: int | None = None,
    progress: Progress | None = None,
    stats: LoadStats | None = None,
) -> tuple[list[Resource], list[ParseError]]:
    """Model resources and parse errors of the discovered files, through the cache when
    `cache_dir` is given; units load in a process pool when large enough (`jobs`)."""
    return with_gc_paused(
        lambda: load_lazily(
            terraform, others, root=root, var_files=var_files, cache_dir=cache_dir,
            jobs=jobs, progress=progress, stats=stats,
        ).resources_and_errors()
    )


def with_gc_paused(work: Callable[[], T]) -> T:
    """Run `work` with the cyclic garbage collector paused: loading makes many small
    long-lived objects (unpickled or parsed), the collector's passes over them would cost
    a third of the time, and nothing here makes cycles worth collecting."""
    import gc

    paused = gc.isenabled()
    if paused:
        gc.disable()
    try:
        return work()
    finally:
        if paused:
            gc.enable()


def load_lazily(
    terraform: Sequence[Path],
    others: Sequence[tuple[str, Path]],
    *,
    root: Path,
    var_files: Sequence[Path] = (),
    cache_dir: Path | None = None,
    jobs: int | None = None,
    progress: Progress | None = None,
    stats: LoadStats | None = None,
) -> Loaded:
    """Plan units, load those not cached (`jobs` processes when large enough), and leave
    the cached ones pickled until a caller needs their resources."""
    return with_gc_paused(
        lambda: _load_cached(
            terraform, others, root=root, var_files=var_files, cache_dir=cache_dir, jobs=jobs,
            progress=progress, stats=stats if stats is not None else LoadStats(),
        )
    )


def _load_cached(
    terraform: Sequence[Path],
    others: Sequence[tuple[str, Path]],
    *,
    root: Path,
    var_files: Sequence[Path],
    cache_dir: Path | None,
    jobs: int | None,
    progress: Progress | None,
    stats: LoadStats,
) -> Loaded:
    root_s = os.path.abspath(root)
    cache = ScanCache(cache_dir, Path(root_s)) if cache_dir is not None else None
    hasher = Hasher(cache.stamps(), cache.dir_stamps()) if cache is not None else Hasher()
    var_values, errors = _var_values(Path(root_s), var_files)
    var_key = _digest(
        *(p for vf in var_files for p in (os.path.abspath(vf), hasher.file(os.path.abspath(vf))))
    )
    planner = Planner(root_s, hasher, cache, cache.salt if cache else "", var_key)

    scanned = _by_directory(terraform, root_s)
    options = LoadOptions(root_s, var_values)
    total_files = len(terraform) + len(others)

    results: dict[str, UnitResult | bytes] = {}  # by key; bytes: a cached entry, pickled
    file_units = [planner.file(kind, path) for kind, path in others]
    tf_units = planner.terraform(scanned) if scanned else []
    hasher.texts.clear()  # read for the call patterns; the workers read files themselves
    for _ in range(4):
        todo = _from_cache(tf_units + file_units, cache, hasher, results, root_s)
        if not stats.replans:
            stats.hits = len(tf_units) + len(file_units) - len(todo)
        if todo:
            _load(todo, options, cache, hasher, results, stats, jobs, progress, total_files,
                  root_s)
        # Check the module calls the plan assumed against the parser's; re-plan if wrong.
        wrong = False
        for item in todo:
            parsed = results[item.key]
            assert isinstance(parsed, UnitResult)  # todo items were parsed just now
            for rel_dir, rel_calls in parsed.calls.items():
                exact = tuple(_abs(c, root_s) for c in rel_calls)
                wrong |= planner.learn(_abs(rel_dir, root_s), exact)
        if not wrong:
            break
        stats.replans += 1
        tf_units = planner.terraform(scanned)

    units = [
        LoadedUnit(
            item.unit,
            item.key,
            isinstance(results[item.key], bytes),
            r if isinstance(r := results[item.key], UnitResult) else None,
            r if isinstance(r, bytes) else None,
            options,
        )
        for item in tf_units + file_units
    ]
    stats.units = len(units)
    if cache is not None:
        hasher.prune_stamps()
        cache.prune_index(hasher.dir_hashes())
        if hasher.stamps_changed:
            cache.stamps_changed()
        cache.close()
    return Loaded(
        units,
        errors,
        hasher.digests(root_s),
        cache.salt if cache is not None else "",
        cache.dir if cache is not None else None,
    )


def _by_directory(paths: Iterable[Path], root: str) -> dict[str, set[str]]:
    """The files (relative to `root`) by absolute directory.

    `abspath` and `rel_path` are worked out once per directory, not per file (thousands):
    `abspath` only joins and normalizes, never resolving links, and a file name other than
    "." or ".." comes out of that unchanged, last; other names take the long way."""
    scanned: dict[str, set[str]] = {}
    dirs: dict[str, tuple[set[str], str]] = {}  # directory as given -> (its files, rel. prefix)
    posix = os.altsep is None
    for p in paths:
        if posix:  # `os.path.split` without its calls (the head keeps its "/": `abspath` drops it)
            s = str(p)  # `os.fspath` of a `Path`, in one call rather than two
            cut = s.rfind(os.sep) + 1
            head, name = s[:cut], s[cut:]
        else:
            head, name = os.path.split(p)
        if name in ("", ".", ".."):
            full = os.path.abspath(p)
            scanned.setdefault(os.path.dirname(full), set()).add(_rel(full, root))
            continue
        known = dirs.get(head)
        if known is None:
            full_dir = os.path.abspath(head)  # "" (a bare name): the current directory
            prefix = "" if full_dir == root else _rel(full_dir, root) + "/"
            known = dirs[head] = (scanned.setdefault(full_dir, set()), prefix)
        known[0].add(known[1] + name)
    return scanned


def _from_cache(
    planned: Sequence[_Planned],
    cache: ScanCache | None,
    hasher: Hasher,
    results: dict[str, UnitResult | bytes],
    root: str,
) -> list[_Planned]:
    """Units whose entry is valid get its pickled result (unpickled when needed, see
    `LoadedUnit`); the others are returned, to load."""
    todo = []
    for item in planned:
        if item.key in results:
            continue
        entry = cache.get(item.key) if cache is not None else None
        if entry is not None:
            touched, blob = entry
            if blob and all(
                hasher.fingerprint(_abs(p, root)) == fp for p, fp in touched.items()
            ):
                results[item.key] = blob
                continue
        todo.append(item)
    return todo


def _load(
    todo: list[_Planned],
    options: LoadOptions,
    cache: ScanCache | None,
    hasher: Hasher,
    results: dict[str, UnitResult | bytes],
    stats: LoadStats,
    jobs: int | None,
    progress: Progress | None,
    total_files: int,
    root: str,
) -> None:
    done_files = total_files - sum(
        len(u.unit.files or ()) if u.unit.kind == TERRAFORM else 1 for u in todo
    )

    def on_result(index: int, result: UnitResult, blob: bytes | None) -> None:
        nonlocal done_files
        item = todo[index]
        results[item.key] = result
        stats.loaded.append(_rel(item.unit.path, root))
        if cache is not None and blob is not None:
            touched = {p: hasher.fingerprint(_abs(p, root)) for p in result.touched}
            cache.put(item.key, touched, blob)
        if progress is not None:
            done_files += len(item.unit.files or ()) if item.unit.kind == TERRAFORM else 1
            progress("parsing", done_files, total_files)

    stats.mode = load_units(
        [t.unit for t in todo], options, jobs=jobs, on_result=on_result,
        want_bytes=cache is not None,
    )
    stats.loaded.sort()


KINDS = (PLAN, CLOUDFORMATION, KUBERNETES, DOCKERFILE)
