"""Executed notebooks saved deterministically: volatile metadata dropped, paths made
relative, widget ids numbered.

:func:`normalize_notebook` drops the volatile metadata of an executed notebook, writes
papermill's ``input_path`` and ``output_path`` without the machine's folders, and renames
its ipywidgets model ids (random ``uuid4`` hex) to ids numbered in order of first
appearance, everywhere they occur (views, widget state, ``IPY_MODEL_`` references, text
outputs); only ids known as model ids are rewritten. :func:`uuid_sequence` is a stand-in
for nbconvert's ``uuid4`` (the ``<div>`` ids of widget views in exported HTML) that gives
the same ids on every export.
"""

from __future__ import annotations

import hashlib
import json
import re
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from reliefkit.store.inputs import portable_path

__all__ = ["normalize_notebook", "rename_widget_models", "uuid_sequence", "portable_text"]


_VOLATILE_PAPERMILL_KEYS = ("start_time", "end_time", "duration")
#: the hidden name papermill writes to while a notebook runs (``reliefkit.run.interrupt.running_path``)
_RUNNING_NAME = re.compile(r"\.(?P<stem>.+)\.running\.ipynb")

#: the namespace of the ids given by :func:`uuid_sequence` and to renamed widget models
_ORDINAL_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "reliefkit:ordinal-ids")
_WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
_WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
_HEX = "[0-9a-fA-F]"
_UUID = f"{_HEX}{{32}}|{_HEX}{{8}}-{_HEX}{{4}}-{_HEX}{{4}}-{_HEX}{{4}}-{_HEX}{{12}}"
#: an id as ipywidgets makes them (``uuid4().hex``; dashed as a frontend may make them)
_MODEL_ID = re.compile(_UUID)
#: an id-shaped run of text that is not part of a longer hexadecimal run
_ID_TOKEN = re.compile(f"(?<!{_HEX})(?:{_UUID})(?!{_HEX})")
_MODEL_REF = re.compile(f"IPY_MODEL_({_UUID})(?!{_HEX})")


def _ordinal_uuid(label: str, n: int) -> uuid.UUID:
    """The ``n``-th id of ``label``: ``uuid5`` of a fixed namespace and ``"<label>-<n>"``."""
    return uuid.uuid5(_ORDINAL_NAMESPACE, f"{label}-{n}")


def uuid_sequence(label: str = "uuid") -> Callable[[], uuid.UUID]:
    """A stand-in for :func:`uuid.uuid4` that gives the same ids on every run: its
    ``n``-th call returns ``uuid5`` of a fixed namespace and ``"<label>-<n>"``.

    nbconvert's HTML templates give every widget view (and JavaScript output) a
    ``<div>`` id from ``uuid4()``; an exporter whose ``environment.globals["uuid4"]``
    is a fresh sequence writes the same HTML for the same notebook.

    Parameters
    ----------
    label : str
        Sequences with different labels give different ids.

    Examples
    --------
    >>> a, b = uuid_sequence("div"), uuid_sequence("div")
    >>> [a(), a()] == [b(), b()], a() == a()
    (True, False)
    >>> from nbconvert import HTMLExporter
    >>> exporter = HTMLExporter()
    >>> exporter.environment.globals["uuid4"] = uuid_sequence("div")
    """
    count = 0

    def next_uuid() -> uuid.UUID:
        nonlocal count
        count += 1
        return _ordinal_uuid(label, count)

    return next_uuid


def _dumps(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


def _widget_state(tree: dict) -> dict:
    """The widget state of a notebook, model id → model (empty when there is none)."""
    widgets = tree.get("metadata", {}).get("widgets")
    state = widgets.get(_WIDGET_STATE, {}) if isinstance(widgets, dict) else {}
    models = state.get("state") if isinstance(state, dict) else None
    return models if isinstance(models, dict) else {}


def _view_model_ids(tree: dict) -> Iterator[Any]:
    """The ``model_id`` of every widget view among the outputs."""
    for cell in tree.get("cells", []):
        for output in cell.get("outputs", []) or []:
            view = (output.get("data") or {}).get(_WIDGET_VIEW) if isinstance(output, dict) else None
            if isinstance(view, dict):
                yield view.get("model_id")


def _widget_model_ids(tree: dict, state: dict) -> set[str]:
    """The ids known as widget model ids: those of views, of the widget state and of its
    ``IPY_MODEL_`` references; only id-shaped ones (a uuid, 32 hex digits)."""
    found = {*_view_model_ids(tree), *state}
    found.update(_MODEL_REF.findall(_dumps(state)))
    return {i for i in found if isinstance(i, str) and _MODEL_ID.fullmatch(i)}


def _content_key(model: str, state: dict, ids: set[str], memo: dict[str, str], path: set[str]) -> str:
    """A digest of a model's state that does not depend on model ids: each id in it is
    replaced by the digest of the model it names (a cycle or a model without state by ``?``)."""
    if model in memo:
        return memo[model]
    if model in path or model not in state:
        return "?"
    path.add(model)
    text = _ID_TOKEN.sub(lambda m: _content_key(m[0], state, ids, memo, path) if m[0] in ids else m[0],
                         _dumps(state[model]))
    path.discard(model)
    memo[model] = hashlib.sha256(text.encode()).hexdigest()
    return memo[model]


def _widget_id_order(tree: dict, state: dict, ids: set[str]) -> list[str]:
    """The model ids in order of first appearance: in the cells (in order), then in the
    widget state, following the models already met; models nothing refers to come
    last, ordered by their content, each followed by the models it refers to."""
    order: list[str] = []
    met: set[str] = set()
    followed = 0

    def meet(text: str) -> None:
        for m in _ID_TOKEN.finditer(text):
            if m[0] in ids and m[0] not in met:
                met.add(m[0])
                order.append(m[0])

    def follow() -> None:  # the models the models met refer to, and so on
        nonlocal followed
        while followed < len(order):
            meet(_dumps(state.get(order[followed])))
            followed += 1

    meet(_dumps(tree.get("cells", [])))
    follow()
    roots = [model for model in state if model in ids and model not in met]
    for root in sorted(roots, key=lambda model: _content_key(model, state, ids, {}, set())):
        if root not in met:
            meet(root)
            follow()
    return order


def _rename(node: Any, names: dict[str, str]) -> Any:
    """``node`` with every occurrence of a key of ``names`` in its texts and keys renamed."""
    if isinstance(node, str):
        return _ID_TOKEN.sub(lambda m: names.get(m[0], m[0]), node)
    if isinstance(node, list):
        return [_rename(v, names) for v in node]
    if isinstance(node, dict):
        return {_rename(k, names): _rename(v, names) for k, v in node.items()}
    return node


def rename_widget_models(tree: dict) -> dict:
    """``tree`` with its widget model ids numbered in order of first appearance
    (:func:`_widget_id_order`): the ``n``-th becomes ``_ordinal_uuid("widget-model", n)``,
    in the form (plain hex or dashed) of the id it replaces. Used for executed notebooks
    of a run (:func:`normalize_notebook`) and for the committed ones
    (:func:`reliefkit.run.refresh.normalize`)."""
    state = _widget_state(tree)
    ids = _widget_model_ids(tree, state)
    if not ids:
        return tree
    names = {}
    for n, old in enumerate(_widget_id_order(tree, state, ids), 1):
        new = _ordinal_uuid("widget-model", n)
        names[old] = str(new) if "-" in old else new.hex
    return _rename(tree, names)


def _portable_papermill_paths(meta: dict) -> None:
    """papermill's ``input_path`` relative to the repository (else the run's folder, else
    its name) and ``output_path`` the notebook's own name (it sits in the job's folder), in
    place: the same run written into two folders gives the same bytes, and no output shows
    the machine's folders."""
    pm = meta.get("papermill")
    if not isinstance(pm, dict):
        return
    if isinstance(pm.get("input_path"), str) and pm["input_path"]:
        pm["input_path"] = portable_path(pm["input_path"])
    if isinstance(pm.get("output_path"), str) and pm["output_path"]:
        name = Path(pm["output_path"]).name
        running = _RUNNING_NAME.fullmatch(name)
        pm["output_path"] = f"{running['stem']}.ipynb" if running else name


def _machine_prefixes() -> list[tuple[str, str]]:
    """The folders of this machine a traceback or a warning names, longest first, and what
    an output shows instead: the repository's files relative to it, the environment's
    and Python's as ``<python>``, the home folder as ``~``."""
    import sys

    from reliefkit._resources import repo_root

    found = {str(Path(p).resolve()): "<python>" for p in {sys.prefix, sys.base_prefix, sys.exec_prefix} if p}
    found.update({p: "<python>" for p in {sys.prefix, sys.base_prefix, sys.exec_prefix} if p})
    root = repo_root()
    if root is not None:
        found[str(root.resolve())] = ""
    home = str(Path.home())
    if home not in ("/", ""):
        found.setdefault(home, "~")
    return sorted(found.items(), key=lambda kv: -len(kv[0]))


def portable_text(text: str, prefixes: list[tuple[str, str]] | None = None) -> str:
    """A traceback's or a warning's text without the machine's folders: a file of the
    repository relative to it, one of the Python environment under ``<python>``, one of
    the home folder under ``~`` (see :func:`_machine_prefixes`).

    Examples
    --------
    >>> portable_text('File /srv/kit/reliefkit/a.py:3, /opt/venv/lib/x.py', [("/opt/venv", "<python>"),
    ...               ("/srv/kit", "")])
    'File reliefkit/a.py:3, <python>/lib/x.py'
    """
    for prefix, shown in prefixes if prefixes is not None else _machine_prefixes():
        text = re.sub(re.escape(prefix.rstrip("/")) + "/", (shown + "/") if shown else "", text)
    return text


def _portable_outputs(tree: dict) -> None:
    """Tracebacks (error outputs) and warnings (stderr) without the machine's folders, in place."""
    prefixes = _machine_prefixes()
    for cell in tree.get("cells", []):
        for output in cell.get("outputs", []) or []:
            if not isinstance(output, dict):
                continue
            if output.get("output_type") == "error" and isinstance(output.get("traceback"), list):
                output["traceback"] = [portable_text(line, prefixes) if isinstance(line, str) else line
                                       for line in output["traceback"]]
            elif output.get("output_type") == "stream" and output.get("name") == "stderr":
                text = output.get("text")
                if isinstance(text, list):
                    output["text"] = [portable_text(t, prefixes) for t in text]
                elif isinstance(text, str):
                    output["text"] = portable_text(text, prefixes)


def _drop_volatile_metadata(tree: dict) -> None:
    """Remove timestamps and durations in place, make papermill's paths relative; give the
    injected-parameters cell a fixed id."""

    def clean_papermill(meta: dict) -> None:
        pm = meta.get("papermill")
        if isinstance(pm, dict):
            for k in _VOLATILE_PAPERMILL_KEYS:
                pm.pop(k, None)

    clean_papermill(tree.get("metadata", {}))
    _portable_papermill_paths(tree.get("metadata", {}))
    for cell in tree.get("cells", []):
        meta = cell.get("metadata", {})
        meta.pop("execution", None)
        clean_papermill(meta)
        if "injected-parameters" in meta.get("tags", []) and "id" in cell:
            cell["id"] = "injected-parameters"  # papermill gives it a random id each run


def normalize_notebook(nb: str | Path | dict) -> str:
    """The JSON text of an executed notebook that two runs of the same notebook write
    alike: without volatile metadata and with its widget model ids renamed.

    - papermill's ``input_path`` is written relative to the repository (when inside it)
      and ``output_path`` as the notebook's own file name.
    - Tracebacks and warnings name files without the machine's folders
      (:func:`portable_text`).
    - Each cell's ``metadata.execution`` timestamps and papermill's ``start_time``/
      ``end_time``/``duration`` (of the notebook and of each cell) are dropped; the
      injected-parameters cell gets the id ``injected-parameters``.
    - ipywidgets model ids (random ``uuid4`` hex) are replaced by ids numbered in order
      of first appearance — in the cells, in order, then in the widget state following
      references; models nothing refers to last, ordered by their content — the
      ``n``-th being ``uuid5`` of a fixed namespace and ``"widget-model-<n>"``, so it
      still looks like a model id. A model id is the ``model_id`` of a widget view
      output, a key of the widget state (``metadata.widgets``) or an ``IPY_MODEL_<id>``
      reference in it. Each is renamed wherever it occurs (state keys, references, text
      and HTML outputs); other hexadecimal strings are left alone.

    Keys sorted, one-space indent and UTF-8 text as nbformat writes them, a final
    newline. Normalizing a normalized notebook changes nothing.

    Parameters
    ----------
    nb : path, JSON text or dict

    Returns
    -------
    str

    Examples
    --------
    >>> text = normalize_notebook({"cells": [{"metadata": {"papermill": {"duration": 1.2,
    ...     "status": "completed"}}}], "metadata": {}})
    >>> "duration" in text, "completed" in text
    (False, True)
    >>> view = {"application/vnd.jupyter.widget-view+json": {"model_id": "ceb1897bdc5d21112a5750c27e665994"}}
    >>> nb = {"cells": [{"metadata": {}, "outputs": [{"data": view}]}], "metadata": {}}
    >>> tree = json.loads(normalize_notebook(nb))
    >>> new = tree["cells"][0]["outputs"][0]["data"]["application/vnd.jupyter.widget-view+json"]["model_id"]
    >>> new == _ordinal_uuid("widget-model", 1).hex, len(new)
    (True, 32)
    """
    if isinstance(nb, Path) or (isinstance(nb, str) and not nb.lstrip().startswith("{")):
        nb = Path(nb).read_text(encoding="utf-8")
    tree = json.loads(nb) if isinstance(nb, str) else json.loads(json.dumps(nb))
    _drop_volatile_metadata(tree)
    _portable_outputs(tree)
    tree = rename_widget_models(tree)
    return json.dumps(tree, sort_keys=True, indent=1, ensure_ascii=False) + "\n"
