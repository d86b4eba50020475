"""Render a PDF in a child process with a wall-clock timeout and a memory cap.

A hostile or enormous answer then ends in a clear error instead of a hung or swollen web
worker. Children are forked from a forkserver that has WeasyPrint imported and warmed up
(fonts and default stylesheets loaded), so isolation costs milliseconds, not a second.
"""

from __future__ import annotations

import logging
import multiprocessing
import resource
import threading
import time
from multiprocessing.connection import Connection
from pathlib import Path

log = logging.getLogger(__name__)
_lock = threading.Lock()
_context: multiprocessing.context.BaseContext | None = None


class RenderError(Exception):
    """The renderer refused or failed on the document (bad input, refused URL...)."""


class RenderLimitExceeded(RenderError):
    """The document needed more time or memory than the configured bounds."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason  # "timeout", "memory" or "crashed"


def _get_context() -> multiprocessing.context.BaseContext:
    global _context
    with _lock:
        if _context is None:
            context = multiprocessing.get_context("forkserver")
            context.set_forkserver_preload(["belong.document.bounded_warm"])
            _context = context
        return _context


def render_pdf_bounded(
    folder: Path, html: str, *, timeout: float, memory_mb: int | None, delay: float = 0
) -> bytes:
    """The PDF of `html` with the template folder's assets, made by a bounded child process
    (which first sleeps `delay` seconds: a slow render, for tests and the benchmark)."""
    context = _get_context()
    receive, send = context.Pipe(duplex=False)
    process = context.Process(
        target=_run_child, args=(send, str(folder), html, memory_mb, delay), daemon=True
    )
    process.start()
    send.close()  # the child holds the only writer: EOF tells us it ended without a word
    try:
        if not receive.poll(timeout):
            process.kill()
            process.join()
            raise RenderLimitExceeded(
                "timeout", f"the render took longer than {timeout:g} seconds and was stopped"
            )
        try:
            outcome = receive.recv()
        except EOFError:
            process.join()
            raise RenderLimitExceeded(
                "crashed", f"the renderer ended with exit code {process.exitcode}"
            ) from None
    finally:
        receive.close()
    process.join()
    kind, payload, refused = outcome
    for url in refused:
        logging.getLogger("belong.document.fetcher").warning(
            "PDF renderer refused to fetch %.200s", url
        )
    if kind == "ok":
        return payload
    if kind == "memory":
        raise RenderLimitExceeded("memory", f"the render needed more than {memory_mb} MB")
    raise RenderError(payload)


def _run_child(
    send: Connection, folder: str, html: str, memory_mb: int | None, delay: float
) -> None:
    """In the child: cap the address space, render, send one (kind, payload, refused) tuple."""
    from belong.document.render import render_pdf_in

    if delay:
        time.sleep(delay)
    if memory_mb:
        limit = memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    refused: list[str] = []
    try:
        outcome = ("ok", render_pdf_in(Path(folder), html, refused=refused), refused)
    except MemoryError:
        outcome = ("memory", "", refused)
    except BaseException as exc:  # FatalURLFetchingError derives from BaseException
        if isinstance(exc, (KeyboardInterrupt, SystemExit)):
            raise
        outcome = ("error", f"{type(exc).__name__}: {exc}"[:2000], refused)
    try:
        send.send(outcome)
    except MemoryError:
        send.send(("memory", "", refused))
    send.close()
