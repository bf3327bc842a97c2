"""A province on a cluster: a run whose store or outputs are at an fsspec URL
(``s3://bucket/prefix``), each job *staged* on the worker that runs it.

When the store or the output folder of ``reliefkit run`` is a URL (``--store
s3://bucket/store``, ``--out s3://bucket/reports``), every job is a :class:`Staged`
job: the worker

1. copies the part of the store its district needs (:func:`reliefkit.store.fetch.fetch_store`:
   ``store.json``, the validation, the helpers and the district's partition — a few files
   whatever the region's size) into a scratch folder of its own, as ``<year>/.store``;
2. executes the notebook in ``<year>/<scope>/`` there, exactly as a local run does (the
   notebook is told ``region_dir="../.store"`` and ``output_dir="."``, so its outputs are
   the same bytes as a local run's);
3. copies the scope folder's files — the notebook, its HTML, what it wrote, the
   up-to-date stamp — to the output location (a URL, or a folder every worker sees), and
   removes its scratch folder. A figure of the whole region that a notebook computed
   and kept beside its copy of the store (``derived/``, :mod:`reliefkit.region.derived`:
   the pairing suggestions) is uploaded to the store, so the next districts' jobs fetch it
   instead of reading the whole region again.

The run's own process (:class:`Staging`) keeps a local copy of the store and of the
outputs in a folder of its own (the output folder itself when it is a path), so that the
facts, the index page, the manifest and the privacy gate work on files as in a local run;
with ``--out`` a URL it downloads the outputs before the index and the gate, and uploads
``index.html``, ``facts.json``, ``problems.csv`` and ``manifest.json`` after them. A job
is up to date when its stamp at the output location says so (:func:`up_to_date`).

On Dask (:func:`run_on_cluster`), a job that fails for a reason of the worker — its
task raised (the store could not be read, the outputs not written, the worker died), or
its kernel never ran a cell — is submitted once more on another worker (the first
worker excluded); a failure inside a cell is the notebook's own and is not retried.
A job that fails again is reported like any failure (the index, the terminal).

Examples
--------
>>> staging = Staging(store="s3://bucket/store", out="s3://bucket/reports", local_out=Path("/tmp/x"))
>>> staging.dest(Job("/nb/01-explore-households.ipynb", "城关镇", "/tmp/x/2026/城关镇", {}))
's3://bucket/reports/2026/城关镇'
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import shutil
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from reliefkit.errors import ReliefkitError
from reliefkit.run.execute import crashed, execute_job
from reliefkit.run.jobs import Job, JobResult
from reliefkit.run.planning import STORE_FOLDER
from reliefkit.store.location import Location, download, exists, is_url, join, list_files, local, read_text, \
    upload_tree

__all__ = ["Staged", "Staging", "execute_staged", "up_to_date", "run_on_cluster", "prepare_locations"]

#: how many times a job that failed for a reason of its worker is tried on another one
RETRIES = 1


@dataclass(frozen=True)
class Staged:
    """A job to run in a scratch folder of the worker, reading the store at ``store``
    and writing its scope folder's files to ``dest``.

    Attributes
    ----------
    job : Job
        The job as planned (its ``folder`` is the run's own copy, on the run's machine).
    store : str
        The store's location (a URL, or a folder every worker sees).
    dest : str
        Where the scope folder's files go (a URL, or a folder).
    """

    job: Job
    store: str
    dest: str


def _scratch_root() -> str | None:
    """The Dask worker's local directory when this runs on one (else the system's)."""
    with contextlib.suppress(Exception):
        from distributed import get_worker

        return get_worker().local_directory
    return None


def _worker_address() -> str:
    with contextlib.suppress(Exception):
        from distributed import get_worker

        return get_worker().address
    return ""


def execute_staged(staged: Staged) -> JobResult:
    """Run a :class:`Staged` job on this worker (see the module's notes).

    Parameters
    ----------
    staged : Staged

    Returns
    -------
    JobResult
        Of the job as planned (``result.job`` is ``staged.job``); ``worker`` is the Dask
        worker's address when it ran on one.

    Raises
    ------
    ReliefkitError
        When the store cannot be read or the outputs cannot be written.

    Examples
    --------
    >>> import tempfile, nbformat
    >>> from reliefkit.store.build import build_store
    >>> _ = build_store("data/sample", "memory://reliefkit-staged-doc/store")
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     nb = Path(tmp, "one.ipynb")
    ...     nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1 + 1")]), nb)
    ...     job = Job(str(nb), None, str(Path(tmp, "2026", "_region")), {}, html=False)
    ...     r = execute_staged(Staged(job, "memory://reliefkit-staged-doc/store", str(Path(tmp, "out"))))
    ...     r.status, sorted(p.name for p in Path(tmp, "out").iterdir()), r.job is job
    ('ok', ['.one.run.json', 'one.ipynb'], True)
    """
    job = staged.job
    scratch = Path(tempfile.mkdtemp(prefix="reliefkit-job-", dir=_scratch_root()))
    try:
        year_dir = scratch / Path(job.folder).parent.name
        from reliefkit.store.fetch import fetch_store

        fetch_store(staged.store, year_dir / STORE_FOLDER, district=job.scope)
        here = dataclasses.replace(job, folder=str(year_dir / Path(job.folder).name))
        result = execute_job(here)
        _share_derived(year_dir / STORE_FOLDER, staged.store)
        upload_tree(here.folder, staged.dest)
        return dataclasses.replace(result, job=job, worker=_worker_address() or result.worker)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _share_derived(copy: Path, store: str) -> int:
    """Upload the figures of the whole region a notebook computed and kept in the copy's
    ``derived/`` (:mod:`reliefkit.region.derived`) to the store, so that the next jobs
    fetch them instead of reading the whole region again. Best effort: a store that
    cannot be written is left as it is. Returns the files uploaded."""
    folder = copy / "derived"
    if not folder.is_dir():
        return 0
    with contextlib.suppress(Exception):
        there = set(list_files(join(store, "derived")))
        new = [f"derived/{p.name}" for p in sorted(folder.glob("*.json")) if p.name not in there]
        return upload_tree(copy, store, new) if new else 0
    return 0


def _attempt(staged: Staged | Job) -> tuple[str, JobResult]:
    """One try of a job on a Dask worker: the worker's address and the result (a task
    that raised becomes a failed result, so that the run knows where it failed)."""
    job = staged.job if isinstance(staged, Staged) else staged
    try:
        result = execute_staged(staged) if isinstance(staged, Staged) else execute_job(staged)
    except Exception as e:  # noqa: BLE001 - reported as the job's failure (and retried elsewhere)
        result = dataclasses.replace(crashed(job, e), worker=_worker_address())
    return _worker_address(), result


def _worker_fault(result: JobResult) -> bool:
    """Failed before any cell ran (the store, the outputs, the kernel, the worker): worth
    another worker. A failing cell is the notebook's own."""
    return result.status == "failed" and result.cell is None


def run_on_cluster(jobs: Sequence[Job | Staged], address: str, retries: int = RETRIES) -> Iterator[JobResult]:
    """The jobs on the Dask distributed scheduler at ``address``; a job that failed for a
    reason of its worker is submitted again on another worker, up to ``retries`` times.

    Parameters
    ----------
    jobs : sequence of Job or Staged
    address : str
        ``tcp://host:8786``.
    retries : int
        Tries on another worker after a worker's failure.

    Yields
    ------
    JobResult
        As they finish; a retried job's last result, ``tries`` saying how many workers ran it.

    Raises
    ------
    ReliefkitError
        When Dask distributed is not installed or the scheduler cannot be reached.
    """
    try:
        from distributed import Client, as_completed
    except ImportError:  # pragma: no cover
        raise ReliefkitError("--scheduler needs Dask distributed", "run `pip install 'dask[distributed]'`") from None
    try:
        client = Client(address, timeout="30s", set_as_default=False)
    except OSError as e:
        raise ReliefkitError(f"cannot reach the Dask scheduler: {e}", "check the address (tcp://host:8786)",
                             scheduler=address) from None
    futures: dict = {}  # future → (index, tries so far, workers that failed it)

    def submit(i: int, tries: int, failed_on: tuple[str, ...]) -> None:
        item = jobs[i]
        key = (item.job if isinstance(item, Staged) else item).key[:12]
        others = [w for w in client.scheduler_info(n_workers=-1)["workers"] if w not in failed_on]
        fut = client.submit(_attempt, item, pure=False, key=f"reliefkit-{i}-{tries}-{key}",
                            workers=others or None, allow_other_workers=not others)
        futures[fut] = (i, tries, failed_on)
        pending.add(fut)

    try:
        pending = as_completed([], loop=client.loop)
        for i in range(len(jobs)):
            submit(i, 0, ())
        for fut in pending:
            i, tries, failed_on = futures.pop(fut)
            item = jobs[i]
            job = item.job if isinstance(item, Staged) else item
            try:
                worker, result = fut.result()
            except Exception as e:  # noqa: BLE001 - a worker that died (Dask already retried it)
                worker, result = "", crashed(job, e)
            if _worker_fault(result) and tries < retries:
                submit(i, tries + 1, (*failed_on, worker) if worker else failed_on)
                continue
            yield dataclasses.replace(result, tries=tries + 1)
    except BaseException:  # stopped: what the cluster has not started is cancelled
        client.cancel(list(futures))
        raise
    finally:
        client.close()


def up_to_date(job: Job, dest: Location) -> bool:
    """Whether the outputs of ``job`` at ``dest`` (a URL or a folder) are up to date: its
    stamp there has the job's key and ``ok``, and its notebook (and HTML) are there.

    Parameters
    ----------
    job : Job
    dest : str or path
        The scope folder's location.

    Returns
    -------
    bool

    Examples
    --------
    >>> up_to_date(Job("/nb/a.ipynb", None, "/x/2026/_region", {}), "memory://reliefkit-none/2026/_region")
    False
    """
    import json

    try:
        stamp = json.loads(read_text(join(dest, job.stamp.name)))
    except (OSError, ValueError):
        return False
    if stamp.get("key") != job.key or stamp.get("status") != "ok":
        return False
    wanted = [job.output.name] + ([job.html_path.name] if job.html else [])
    return all(exists(join(dest, name)) for name in wanted)


@dataclass(frozen=True)
class Staging:
    """Where a staged run's store and outputs are, and the run's own local copy.

    Attributes
    ----------
    store : str
        The store's location the workers read (a URL, or a folder they all see).
    out : str
        The output location (a URL or a folder): ``<out>/<year>/<scope>/``.
    local_out : Path
        The run's local output folder (``out`` itself when it is a folder).
    """

    store: str
    out: str
    local_out: Path

    def dest(self, job: Job) -> str:
        """The location of ``job``'s scope folder."""
        year, scope = Path(job.folder).parent.name, Path(job.folder).name
        return join(self.out, year, scope)

    def staged(self, job: Job) -> Staged:
        """``job`` as a :class:`Staged` job."""
        return Staged(job, self.store, self.dest(job))

    def up_to_date(self, job: Job) -> bool:
        """Whether the job's outputs at the output location are up to date."""
        return up_to_date(job, self.dest(job))

    def collect(self, year_dir: Path, results: Sequence[JobResult]) -> int:
        """With a URL output: download the scope folders' files of ``results`` into the
        run's local copy (for the index and the privacy gate). Returns files copied."""
        if not is_url(self.out):
            return 0
        copied = 0
        for folder in sorted({Path(r.job.folder).name for r in results}):
            where = join(self.out, year_dir.name, folder)
            copied += download(where, list_files(where), year_dir / folder)
        return copied

    def publish(self, year_dir: Path) -> int:
        """With a URL output: upload what the run itself wrote into the year's folder
        (the index page, ``facts.json``, ``problems.csv``, ``manifest.json``)."""
        if not is_url(self.out):
            return 0
        own = [p.name for p in year_dir.iterdir() if p.is_file() and not p.name.startswith(".")]
        return upload_tree(year_dir, join(self.out, year_dir.name), own)


def _cache_folder(out: str) -> Path:
    """The run's local copy of a URL output: the same folder for the same URL."""
    digest = hashlib.sha256(out.encode()).hexdigest()[:16]
    return Path(tempfile.gettempdir(), "reliefkit-runs", digest)


def prepare_locations(region: Location | None, store: Location | None, out: Location, year: int
                      ) -> tuple[Path, Path, Staging | None]:
    """Where ``reliefkit run`` reads and writes: the region (or store) to read on this
    machine, the local output folder, and the :class:`Staging` when a URL is involved.

    - ``store`` given with a region folder: the store there is built (or reused while
      the folder is unchanged), then read;
    - ``store`` (or ``region``) a URL: the store is copied into
      ``<local out>/<year>/.store`` for the run itself; workers read the URL;
    - ``out`` a URL: the run's local copy is a folder of the system's temporary folder
      (the same for the same URL); a store built here is uploaded to
      ``<out>/<year>/.store`` for the workers.

    Parameters
    ----------
    region : path or str, optional
        The positional argument: a region folder, a store, or a store's URL.
    store : path or str, optional
        ``--store``.
    out : path or str
        ``--out``.
    year : int

    Returns
    -------
    source, local_out : Path
        What to read here (a folder or a store), and the local output folder.
    staging : Staging or None
        None for a run of folders only (nothing staged).

    Examples
    --------
    >>> prepare_locations(Path("data/sample"), None, Path("reports"), 2026)
    (PosixPath('data/sample'), PosixPath('reports'), None)
    """
    from reliefkit.store.build import ensure_store, is_store
    from reliefkit.store.fetch import fetch_store

    if store is not None and region is not None and not is_store(region):
        ensure_store(local(region), store)  # `run REGION --store URL`: the store there, refreshed
    source = store if store is not None else (region if region is not None else Path("data/sample"))
    if not is_url(source) and not is_url(out):
        return local(source), local(out), None
    local_out = _cache_folder(str(out)) if is_url(out) else local(out)
    year_dir = local_out / str(year)
    if is_url(out) and year_dir.is_dir():  # the run's copy of the outputs: fresh; the store's copy kept
        for old in year_dir.iterdir():
            if old.name != STORE_FOLDER:
                shutil.rmtree(old) if old.is_dir() else old.unlink()
    if is_url(source):
        fetch_store(source, year_dir / STORE_FOLDER)
        return year_dir / STORE_FOLDER, local_out, Staging(str(source), str(out), local_out)
    if is_store(source):  # a store folder here, outputs at a URL: the run's copy, shipped for the workers
        fetch_store(source, year_dir / STORE_FOLDER)
    else:  # a region folder, outputs at a URL
        ensure_store(local(source), year_dir / STORE_FOLDER)
    shipped = join(str(out), str(year), STORE_FOLDER)
    _ship(year_dir / STORE_FOLDER, shipped)
    return year_dir / STORE_FOLDER, local_out, Staging(shipped, str(out), local_out)

def _ship(store_dir: Path, url: str) -> None:
    """Upload a local store to ``url`` unless the same store is there already."""
    import json

    from reliefkit.store.inputs import MARKER

    mine = json.loads((store_dir / MARKER).read_text(encoding="utf-8"))
    with contextlib.suppress(OSError, ValueError):
        if json.loads(read_text(join(url, MARKER))).get("fingerprint") == mine["fingerprint"]:
            return
    upload_tree(store_dir, url, last=[MARKER])

