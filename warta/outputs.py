"""Where commands may write: only into what they made themselves.

Every command that writes (``build``, ``release``, ``draft``) claims its target
here before doing any work. A folder is the command's own if it is new, empty,
or holds a marker file (:data:`MARKER`) that an earlier run of the same command
wrote, listing everything it wrote. The corpus, a folder inside it or holding
it, a source checkout or a folder holding one, and any folder holding someone
else's files are refused with :class:`OutputRefused`, so a mistyped ``--out``
can never delete work. Output is staged beside its target and swapped in whole
(:func:`staging`); the swap deletes nothing but the previous output of the same
command.
"""

from __future__ import annotations

import ctypes
import errno
import json
import os
import re
import secrets
import shutil
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import TYPE_CHECKING

from warta.errors import OutputRefused

if TYPE_CHECKING:
    import argparse

MARKER = ".warta-output"
SHOWN = 3


def out_option(
    command: argparse.ArgumentParser,
    name: str,
    default: str | None = None,
    what: str = "output folder",
) -> None:
    """Give a command that claims its folder (:func:`claim_folder`) an ``--out`` that says so.

    One wording for every such command, so the help always states the rule enforced here;
    without a ``default`` the option is required.
    """
    text = f"{what}: new, empty, or an earlier {name}'s; never the corpus or a checkout"
    if default is not None:
        text += f" (default: {default})"
    command.add_argument("--out", required=default is None, default=default, help=text)


def resolve(path: str | Path) -> Path:
    """The absolute path with symlinks, ``.`` and ``..`` resolved, to compare paths once."""
    return Path(path).expanduser().resolve()


def package_root() -> Path:
    """The folder holding the ``warta`` package's source (the checkout, when not installed)."""
    return Path(__file__).resolve().parent.parent


def _checkout_of(path: Path) -> Path | None:
    """The nearest folder at or above ``path`` holding ``.git`` (a folder, or a worktree's file)."""
    for folder in (path, *path.parents):
        if (folder / ".git").exists():
            return folder
    return None


def _listing(names: Iterable[str]) -> str:
    names = sorted(names)
    shown = ", ".join(names[:SHOWN])
    return shown + (f" and {len(names) - SHOWN} more" if len(names) > SHOWN else "")


def _protect(target: Path, corpus: Sequence[str | Path], fix: str) -> None:
    """Refuse a target that is, holds or sits inside the corpus, or that is or holds a checkout."""
    corpora = [resolve(c) for c in corpus]
    checkouts = {package_root()}
    for start in (Path.cwd().resolve(), *corpora):
        found = _checkout_of(start)
        if found is not None:
            checkouts.add(found)
    if target.is_dir() and (target / ".git").exists():
        raise OutputRefused(target, "is a source checkout (it holds .git)", fix)
    for checkout in sorted(checkouts):
        if target == checkout:
            raise OutputRefused(target, "is the source checkout", fix)
        if target in checkout.parents:
            raise OutputRefused(target, f"contains the source checkout {checkout}", fix)
    for folder in corpora:
        if target == folder:
            raise OutputRefused(target, "is the corpus", fix)
        if folder in target.parents:
            raise OutputRefused(target, f"is inside the corpus {folder}", fix)
        if target in folder.parents:
            raise OutputRefused(target, f"contains the corpus {folder}", fix)
    for above in target.parents:
        if above.exists():
            if not above.is_dir():
                raise OutputRefused(target, f"{above} is a file, not a folder", fix)
            break


def _tree(folder: Path) -> set[str]:
    """Every file and folder under ``folder`` but the marker, as relative POSIX paths."""
    found = set()
    for top, dirs, files in os.walk(folder):
        here = Path(top).relative_to(folder)
        found.update((here / name).as_posix() for name in (*dirs, *files))
    found.discard(MARKER)
    return found


def made_by(folder: Path) -> tuple[str, set[str]] | None:
    """Which command wrote ``folder`` and what it wrote there, from its marker; None if unmarked."""
    try:
        data = json.loads((folder / MARKER).read_text(encoding="utf-8"))
        return str(data["made_by"]), {str(p) for p in data["paths"]}
    except (OSError, ValueError, TypeError, KeyError):
        return None


def _check_owned(target: Path, command: str) -> None:
    """Refuse an existing ``target`` unless it is empty or an earlier ``command`` made it."""
    if not target.exists() and not target.is_symlink():
        return
    fix = f"choose a new folder, or one an earlier `{command}` made"
    if not target.is_dir():
        raise OutputRefused(target, "is a file, not a folder", fix)
    entries = [p.name for p in target.iterdir()]
    if not entries:
        return
    marker = made_by(target)
    if marker is None:
        raise OutputRefused(
            target,
            f"is not empty and no earlier `{command}` made it (it holds {_listing(entries)})",
            fix,
        )
    maker, paths = marker
    if maker != f"warta {command}":
        raise OutputRefused(target, f"was made by `{maker}`, not `warta {command}`", fix)
    foreign = _tree(target) - paths
    if foreign:
        raise OutputRefused(
            target,
            f"holds files an earlier `{command}` did not write ({_listing(foreign)})",
            "move them out first, or choose a new folder",
        )


Folders = Sequence[str | Path]
"""The corpus folders a command reads."""
Test = Callable[[Path], bool]
"""Whether an existing entry is one the command may replace."""


def _protected(path: str | Path, corpus: Folders, fix: str) -> Path:
    """The resolved path, if it is apart from the corpus and any checkout (see _protect)."""
    target = resolve(path)
    _protect(target, corpus, fix)
    return target


def claim_folder(out: str | Path, command: str, corpus: Sequence[str | Path] = ()) -> Path:
    """Check, before any work, that ``command`` may replace the folder ``out``; its resolved path.

    ``corpus`` lists the folders the command reads: they, what is inside them
    and what holds them are never written.
    """
    target = _protected(out, corpus, f"choose a new folder, or one an earlier `{command}` made")
    _check_owned(target, command)
    return target


def claim_collection(root: str | Path, corpus: Folders, belongs: Test, holds: str) -> Path:
    """Check a folder that collects a command's outputs (such as ``releases/``); its resolved path.

    It is accepted if it is new, empty, or holds only entries ``belongs``
    accepts (``holds`` says what those are, for the message).
    """
    fix = f"choose a new folder, or one that holds only {holds}"
    target = _protected(root, corpus, fix)
    if not target.exists():
        return target
    if not target.is_dir():
        raise OutputRefused(target, "is a file, not a folder", fix)
    foreign = [p.name for p in target.iterdir() if not belongs(p)]
    if foreign:
        raise OutputRefused(target, f"holds files that are not {holds} ({_listing(foreign)})", fix)
    return target


def claim_file(path: str | Path, corpus: Folders, ours: Test, why: str, fix: str) -> Path:
    """Check that a file may be (over)written: new, or one ``ours`` recognises; its resolved path.

    ``why`` and ``fix`` make the message when an existing file is not ``ours``.
    """
    target = _protected(path, corpus, fix)
    if target.exists() and not target.is_file():
        raise OutputRefused(target, "is not a file", fix)
    if target.exists() and not ours(target):
        raise OutputRefused(target, why, fix)
    return target


def write_text(path: Path, text: str) -> None:
    """Write a file whole or not at all: a temporary file beside it, renamed over it.

    The file gets the permissions the process's umask gives a new file.
    """
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except BaseException:
        with suppress(OSError):
            tmp.unlink()
        raise


def mark(folder: Path, command: str) -> None:
    """Write the marker saying ``command`` made ``folder`` and listing everything in it."""
    paths = sorted(_tree(folder))
    text = json.dumps({"made_by": f"warta {command}", "paths": paths}, indent=1) + "\n"
    (folder / MARKER).write_text(text, encoding="utf-8")


def _new_folder_beside(target: Path, suffix: str) -> Path:
    """An empty hidden folder beside ``target``, with the umask's ordinary permissions.

    ``tempfile.mkdtemp`` would make it 0700, and the renamed folder would keep that.
    The name carries this process's id, so a later run can tell a folder left
    by a killed run (:func:`_remove_leftovers`).
    """
    while True:
        path = target.with_name(f".{target.name}.{os.getpid()}-{secrets.token_hex(4)}{suffix}")
        try:
            os.mkdir(path, 0o777)
        except FileExistsError:
            continue
        return path


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _remove_leftovers(target: Path) -> None:
    """Remove the staging and swap folders of ``target`` whose run was killed.

    Only folders named as :func:`staging` names them, made by a process that
    no longer exists, are removed: nothing another run is still writing.
    """
    pattern = re.compile(rf"\.{re.escape(target.name)}\.(\d+)-[0-9a-f]{{8}}\.(tmp|old)")
    with suppress(OSError), os.scandir(target.parent) as entries:
        for entry in entries:
            found = pattern.fullmatch(entry.name)
            if found and entry.is_dir(follow_symlinks=False) and not _alive(int(found[1])):
                shutil.rmtree(entry.path, ignore_errors=True)


@contextmanager
def _locked(folder: Path) -> Iterator[None]:
    """An exclusive lock on a folder (``flock`` on the folder itself: no lock file is left)."""
    try:
        import fcntl
    except ImportError:  # not POSIX: no lock
        yield
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # releases the lock


_RENAME_EXCHANGE = 2


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one step (Linux ``renameat2``); False where that is not available.

    With it, the target exists at every instant of the swap: a run killed
    between two renames could otherwise leave no output at all.
    """
    if not sys.platform.startswith("linux"):
        return False
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):
        return False
    at_cwd = -100
    result = renameat2(at_cwd, os.fsencode(a), at_cwd, os.fsencode(b), _RENAME_EXCHANGE)
    if result == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):
        return False  # the file system cannot: fall back to two renames
    raise OSError(code, os.strerror(code), str(a), None, str(b))


@contextmanager
def staging(target: Path, command: str) -> Iterator[Path]:
    """A folder beside ``target`` that replaces it, marked as ``command``'s, if the body succeeds.

    ``target`` is the path :func:`claim_folder` returned. Its ownership is
    checked again at the swap, since the run may have taken a while; the only
    thing ever deleted is the previous output of the same command.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    _remove_leftovers(target)
    tmp = _new_folder_beside(target, ".tmp")
    try:
        yield tmp
        mark(tmp, command)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    with _locked(target.parent):  # two runs racing for one target swap one after the other
        try:
            _check_owned(target, command)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        if target.exists() and _exchange(tmp, target):
            shutil.rmtree(tmp, ignore_errors=True)  # now the previous output
            return
        old = None
        if target.exists():
            old = tmp.with_name(tmp.name.removesuffix(".tmp") + ".old")
            os.replace(target, old)
        try:
            os.replace(tmp, target)
        except BaseException:
            if old is not None:
                os.replace(old, target)
            shutil.rmtree(tmp, ignore_errors=True)
            raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
