"""Tesseract's library run inside this process: the same engine the ``tesseract`` command
runs, without its start.

Each run of the command loads the English model again, about 60 ms of CPU, and a graph's
labels are read in two or three runs of a few ms each: most of a small graph's time went
to starting tesseract. Here the model is loaded once per thread and each image is read as
the command reads it (decoded from the same PGM bytes by leptonica, the command's
configuration, page segmentation mode and character whitelist), so the TSV is the
command's, to the byte.

OpenMP is limited to one thread before the library loads (its runtime reads the limit
once): the machine's cores belong to the worker pool, not to one image.
"""

from __future__ import annotations

import atexit
import ctypes
import ctypes.util
import os
import threading
import time
from functools import cache

from graphq.errors import GraphqError

# The header line the command's TSV output begins with (its renderer writes it; the
# library gives the rows only).
TSV_HEADER = (
    "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\t"
    "conf\ttext\n"
)
# The command's ``tsv`` configuration, as ``tesseract ... tsv`` names it.
_CONFIGS = (b"tsv",)
# Tesseract's default engine mode (the model's own: LSTM for the packaged English model).
_DEFAULT_ENGINE = 3
# Tesseract asks this between words whether to stop (cancel_this, words): past the reading's
# CPU deadline it stops, as a busy machine's wall clock would stop it too early.
_CANCEL = ctypes.CFUNCTYPE(ctypes.c_bool, ctypes.c_void_p, ctypes.c_int)


class _Library:
    """The C functions used, with their signatures."""

    def __init__(self, tesseract: ctypes.CDLL, leptonica: ctypes.CDLL) -> None:
        handle, text = ctypes.c_void_p, ctypes.c_char_p
        self.create = tesseract.TessBaseAPICreate
        self.create.restype = handle
        self.create.argtypes = []
        self.init = tesseract.TessBaseAPIInit4
        self.init.restype = ctypes.c_int
        self.init.argtypes = [
            handle,
            text,
            text,
            ctypes.c_int,
            ctypes.POINTER(text),
            ctypes.c_int,
            ctypes.POINTER(text),
            ctypes.POINTER(text),
            ctypes.c_size_t,
            ctypes.c_int,
        ]
        self.set_mode = tesseract.TessBaseAPISetPageSegMode
        self.set_mode.restype = None
        self.set_mode.argtypes = [handle, ctypes.c_int]
        self.set_name = tesseract.TessBaseAPISetInputName
        self.set_name.restype = None
        self.set_name.argtypes = [handle, text]
        self.set_variable = tesseract.TessBaseAPISetVariable
        self.set_variable.restype = ctypes.c_int
        self.set_variable.argtypes = [handle, text, text]
        self.set_image = tesseract.TessBaseAPISetImage2
        self.set_image.restype = None
        self.set_image.argtypes = [handle, handle]
        self.recognize = tesseract.TessBaseAPIRecognize
        self.recognize.restype = ctypes.c_int
        self.recognize.argtypes = [handle, handle]
        self.tsv = tesseract.TessBaseAPIGetTsvText
        self.tsv.restype = ctypes.c_void_p
        self.tsv.argtypes = [handle, ctypes.c_int]
        self.free_text = tesseract.TessDeleteText
        self.free_text.restype = None
        self.free_text.argtypes = [ctypes.c_void_p]
        self.delete = tesseract.TessBaseAPIDelete
        self.delete.restype = None
        self.delete.argtypes = [handle]
        self.clear = tesseract.TessBaseAPIClear
        self.clear.restype = None
        self.clear.argtypes = [handle]
        self.monitor = tesseract.TessMonitorCreate
        self.monitor.restype = handle
        self.monitor.argtypes = []
        self.free_monitor = tesseract.TessMonitorDelete
        self.free_monitor.restype = None
        self.free_monitor.argtypes = [handle]
        self.set_cancel = tesseract.TessMonitorSetCancelFunc
        self.set_cancel.restype = None
        self.set_cancel.argtypes = [handle, _CANCEL]
        self.read_pix = leptonica.pixReadMem
        self.read_pix.restype = handle
        self.read_pix.argtypes = [ctypes.c_char_p, ctypes.c_size_t]
        self.free_pix = leptonica.pixDestroy
        self.free_pix.restype = None
        self.free_pix.argtypes = [ctypes.POINTER(handle)]


@cache
def _library() -> _Library | None:
    """The libraries, or None where they are not installed (the command is used then)."""
    tesseract = ctypes.util.find_library("tesseract")
    leptonica = ctypes.util.find_library("lept") or ctypes.util.find_library("leptonica")
    if tesseract is None or leptonica is None:
        return None
    os.environ["OMP_THREAD_LIMIT"] = "1"
    try:
        return _Library(ctypes.CDLL(tesseract), ctypes.CDLL(leptonica))
    except (OSError, AttributeError):
        return None


class _Engines(threading.local):
    """Per thread (a tesseract handle is not shared between threads) and per process (a
    forked worker loads its own): one initialised handle per character whitelist."""

    def __init__(self) -> None:
        self.pid = os.getpid()
        self.by_chars: dict[str, int] = {}


_ENGINES = _Engines()
# Every handle this process made, in any thread, freed at exit: tesseract warns of a leak
# for each one left.
_MADE: list[tuple[int, int]] = []
_MADE_LOCK = threading.Lock()


def read_tsv(
    pgm: bytes, psm: str, chars: str, timeout_s: float, *, invert: bool = True
) -> str | None:
    """Tesseract's TSV for an image given as PGM bytes, as ``tesseract stdin stdout --psm
    PSM -l eng [-c tessedit_char_whitelist=CHARS] [-c tessedit_do_invert=0] tsv`` prints it
    (the last with ``invert`` False); None where the library is not installed. OCR_FAILED
    when the image does not decode or the reading fails or takes more than ``timeout_s`` of
    this process's CPU (the caller's budget, of CPU too)."""
    library = _library()
    if library is None:
        return None
    engine = _engine(library, chars)
    pix = ctypes.c_void_p(library.read_pix(pgm, len(pgm)))
    if not pix.value:
        raise GraphqError("OCR_FAILED", "tesseract could not decode the image")
    monitor = library.monitor()
    deadline = time.process_time() + timeout_s
    cancel = _CANCEL(lambda _this, _words: time.process_time() > deadline)
    try:
        library.set_mode(engine, int(psm))
        # The engine is this thread's for every caller: a setting that did not take would
        # leave the previous caller's in force.
        if not library.set_variable(engine, b"tessedit_do_invert", b"1" if invert else b"0"):
            raise GraphqError("OCR_FAILED", "tesseract refused its inverted-pass setting")
        library.set_name(engine, b"stdin")
        library.set_image(engine, pix)
        library.set_cancel(monitor, cancel)
        if library.recognize(engine, monitor) < 0:
            raise GraphqError(
                "OCR_FAILED", f"tesseract failed or took over {timeout_s:.1f} s of CPU"
            )
        rows = library.tsv(engine, 0)
        if not rows:
            raise GraphqError("OCR_FAILED", "tesseract gave no answer")
        try:
            return TSV_HEADER + ctypes.string_at(rows).decode(errors="replace")
        finally:
            library.free_text(rows)
    finally:
        library.clear(engine)
        library.free_monitor(monitor)
        library.free_pix(ctypes.byref(pix))


def _engine(library: _Library, chars: str) -> int:
    """This thread's handle for ``chars``, initialised as the command initialises it."""
    if _ENGINES.pid != os.getpid():
        _ENGINES.pid, _ENGINES.by_chars = os.getpid(), {}
    engine = _ENGINES.by_chars.get(chars)
    if engine is not None:
        return engine
    handle = library.create()
    configs = (ctypes.c_char_p * len(_CONFIGS))(*_CONFIGS)
    names = (ctypes.c_char_p * 1)(b"tessedit_char_whitelist")
    values = (ctypes.c_char_p * 1)(chars.encode())
    count = 1 if chars else 0
    if library.init(handle, None, b"eng", _DEFAULT_ENGINE, configs, 1, names, values, count, 0):
        raise GraphqError("OCR_UNAVAILABLE", "tesseract's English model (eng) did not load")
    _ENGINES.by_chars[chars] = handle
    with _MADE_LOCK:
        if not _MADE:
            atexit.register(_free_engines, library)
        _MADE.append((os.getpid(), handle))
    return handle


def _free_engines(library: _Library) -> None:
    with _MADE_LOCK:
        for pid, handle in _MADE:
            if pid == os.getpid():
                library.delete(handle)
        _MADE.clear()
