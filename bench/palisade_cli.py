"""Runs the shipped `palisade` binary for the evaluation scripts under bench/.

Every figure these scripts publish comes from the CLI (the same engine users run), never
from a private driver. The binary is `target/release/palisade` (built on demand with
`cargo build --release -p palisade`), or `$PALISADE` when set.

Each call passes `--config` with an empty palisade.yaml unless the caller gives one, so a
`palisade.yaml` or `.palisadeignore` in the working directory never changes a result.
"""

import json
import os
import subprocess
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
TARGET = Path(os.environ.get("CARGO_TARGET_DIR", REPO / "target"))


def binary():
    """Path of the release CLI, building it first unless $PALISADE names one."""
    if os.environ.get("PALISADE"):
        return os.environ["PALISADE"]
    subprocess.run(["cargo", "build", "--release", "-q", "-p", "palisade"], cwd=REPO, check=True)
    return str(TARGET / "release" / "palisade")


_BIN = None
_EMPTY = None


def _bin():
    global _BIN
    if _BIN is None:
        _BIN = binary()
    return _BIN


def empty_config():
    """An empty palisade.yaml outside the repository: defaults, nothing discovered."""
    global _EMPTY
    if _EMPTY is None:
        fd, path = tempfile.mkstemp(prefix="palisade-bench-", suffix=".yaml")
        os.close(fd)
        _EMPTY = path
    return _EMPTY


def run(args, config=None, check=True):
    """Runs `palisade ARGS... --config CONFIG` and returns the completed process."""
    cmd = [_bin(), *args, "--config", str(config or empty_config())]
    out = subprocess.run(cmd, capture_output=True, text=True)
    if check and out.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} exited {out.returncode}: {out.stderr[-2000:]}")
    return out


def report(args, config=None):
    """The JSON report of `palisade ARGS... -f json -q`; one target per report."""
    out = run([*args, "-f", "json", "-q"], config)
    return json.loads(out.stdout)


def results(rep):
    """Every target result of a report (a scan has one)."""
    return rep.get("results", [])


def findings(rep):
    return [f for r in results(rep) for f in r.get("findings", [])]


def errors(rep):
    return [e for r in results(rep) for e in r.get("errors", [])]


def rules():
    """Every rule's metadata (`palisade rules --format json`)."""
    out = subprocess.run([_bin(), "rules", "--format", "json"], capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def config_snippets(items, file_name="Dockerfile"):
    """Checks each `(id, text or bytes)` as its own file with `palisade config DIR` (one process for
    all of them) and maps the results back by path.

    Returns {id: {"rules": [...], "related": [...], "errors": [...]}} for every id.
    """
    items = list(items)
    with tempfile.TemporaryDirectory(prefix="palisade-snippets-") as tmp:
        dirs = {}
        for n, (ident, text) in enumerate(items):
            d = f"s{n:05d}"
            os.mkdir(os.path.join(tmp, d))
            # Corpus files are passed as bytes and written unchanged; snippets are UTF-8 text.
            data = text if isinstance(text, bytes) else text.encode("utf-8")
            with open(os.path.join(tmp, d, file_name), "wb") as fh:
                fh.write(data)
            dirs[d] = ident
        rep = report(["config", tmp])
    out = {ident: {"rules": [], "related": [], "errors": []} for _, ident in dirs.items()}

    def owner(path):
        # Paths are relative to the scanned directory; some reporters may prefix the root.
        rel = os.path.relpath(path, tmp) if os.path.isabs(path) else path
        return dirs.get(rel.split("/", 1)[0])

    for f in findings(rep):
        ident = owner((f.get("location") or {}).get("path") or "")
        if ident is None:
            raise SystemExit(f"finding outside the snippets: {f.get('location')}")
        out[ident]["rules"].append(f["rule_id"])
        out[ident]["related"].extend(f.get("related", []))
    for e in errors(rep):
        ident = owner(e.get("source", ""))
        if ident is None:
            raise SystemExit(f"error outside the snippets: {e}")
        out[ident]["errors"].append(e["message"])
    return out
