"""The answer of a plain HTTP endpoint a file goes down by (invoices, the account schedule, a
declaration's receipt, an activity summary)."""

from litestar import Response


def download(content: bytes, media_type: str, file_name: str, sha256: str) -> Response[bytes]:
    """A download: its name (ASCII, made by the caller), its SHA-256, never cached."""
    return Response(
        content,
        media_type=media_type,
        headers={
            "Content-Disposition": f'attachment; filename="{file_name}"',
            "X-Content-SHA256": sha256,
            "ETag": f'"{sha256}"',
            "Cache-Control": "private, no-store",
            "X-Content-Type-Options": "nosniff",
        },
    )
