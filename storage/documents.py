"""A content-addressed file store: each file kept once, under its SHA-256.

    <folder>/<first two hex digits>/<sha256>

A file is written to a temporary file beside its final place, flushed to disk, then renamed
into place: a reader sees the whole file or none, and two writers of the same bytes both end
with the same file. Reading checks the bytes against their name, so a file damaged on disk is
refused rather than served. Files are at most the domain's limit for an uploaded document
(`domain.risk_assessment.publication.MAX_DOCUMENT_SIZE`). Folders are made 0700 and files 0600:
only the owner of the store reads them.

Blocking (file I/O): the API calls it from worker threads only.
"""

import hashlib
import re
from pathlib import Path

from domain.risk_assessment.publication import MAX_DOCUMENT_SIZE
from storage.files import replace_file

SHA256_HEX = re.compile(r"^[0-9a-f]{64}$")
SUBFOLDER = re.compile(r"^[0-9A-Za-z][0-9A-Za-z_-]{0,99}$")
DOCUMENTS_FOLDER = "documents"
"""The store's folder in REGISTRE_DATA_DIR."""


class DocumentStoreError(Exception):
    pass


class DocumentTooLarge(DocumentStoreError):
    pass


class DocumentNotStored(DocumentStoreError, LookupError):
    pass


class DocumentCorrupted(DocumentStoreError):
    """The bytes on disk no longer have the SHA-256 they are stored under."""


def sha256_of(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def check_sha256(sha256: str) -> str:
    """A SHA-256 as 64 lower-case hex digits, or ValueError: never a path of any other shape."""
    if not SHA256_HEX.match(sha256):
        raise ValueError(f"not a SHA-256 in lower-case hex: {sha256[:80]!r}")
    return sha256


class DocumentStore:
    def __init__(self, folder: Path, *, max_size: int = MAX_DOCUMENT_SIZE):
        self.folder = Path(folder)
        self.max_size = max_size

    @classmethod
    def in_data_dir(cls, data_dir: Path) -> "DocumentStore":
        """The default store: `documents` in REGISTRE_DATA_DIR."""
        return cls(Path(data_dir) / DOCUMENTS_FOLDER)

    def within(self, name: str) -> "DocumentStore":
        """A store of its own in a subfolder (one per owner: whoever knows a digest reaches
        only the files of the subfolder they are allowed)."""
        if not SUBFOLDER.match(name):
            raise ValueError(f"not a subfolder name: {name[:80]!r}")
        return DocumentStore(self.folder / name, max_size=self.max_size)

    def path_of(self, sha256: str) -> Path:
        digest = check_sha256(sha256)
        return self.folder / digest[:2] / digest

    def put(self, content: bytes) -> str:
        """Stores `content` (once: the same bytes again change nothing); returns its SHA-256."""
        if len(content) > self.max_size:
            raise DocumentTooLarge(f"{len(content)} bytes: more than {self.max_size}")
        digest = sha256_of(content)
        path = self.path_of(digest)
        if self._holds(path, digest):
            return digest
        replace_file(path, content)
        return digest

    def get(self, sha256: str) -> bytes:
        """The bytes stored under `sha256`, checked against it."""
        try:
            content = self.path_of(sha256).read_bytes()
        except FileNotFoundError:
            raise DocumentNotStored(sha256) from None
        if sha256_of(content) != sha256:
            raise DocumentCorrupted(sha256)
        return content

    def size(self, sha256: str) -> int | None:
        """The size of the file stored under `sha256` (not checked), or None."""
        try:
            return self.path_of(sha256).stat().st_size
        except FileNotFoundError:
            return None

    @staticmethod
    def _holds(path: Path, sha256: str) -> bool:
        """Whether the file is there, intact (a damaged one is written again)."""
        try:
            return sha256_of(path.read_bytes()) == sha256
        except FileNotFoundError:
            return False
