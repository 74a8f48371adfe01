"""Reading design docs shared as Slack files.

The download carries the bot token, so it only ever goes to Slack's own file hosts or to the host of
the configured Web API (SLACK_API_URL, e.g. a test server); anything else, redirects included, is
refused rather than handed the token.
"""

from __future__ import annotations

import re
import urllib.error
import urllib.request
from dataclasses import dataclass
from urllib.parse import urlsplit

from slack_sdk import WebClient

from archbot.bot.slack.blocks import READABLE_TYPES
from archbot.ingest.formats import Converter, Limits, convert_bytes
from archbot.ingest.loaders import CONVERTED_FORMATS, SkipFile, format_of
from archbot.kernel.errors import InputError
from archbot.kernel.settings import Settings

READABLE_FILETYPES = frozenset({"markdown", "text", "md", "txt", "pdf", "docx", "html"})
READABLE_SUFFIXES = (".md", ".markdown", ".txt", ".pdf", ".docx", ".html", ".htm")
DOWNLOAD_TIMEOUT_S = 30
_FILE_LINK = re.compile(r"/files/[^/\s>|]+/(F[A-Z0-9]+)")


@dataclass(frozen=True)
class SharedText:
    name: str
    text: str


def is_readable(file: dict) -> bool:
    name = str(file.get("name") or "").lower()
    return file.get("filetype") in READABLE_FILETYPES or name.endswith(READABLE_SUFFIXES)


def unreadable_message(names: list[str]) -> str:
    listed = ", ".join(f"`{n}`" for n in names) or "that file"
    return f"I can't read {listed}. I review {READABLE_TYPES} files — share one of those or paste the text."


def file_id_from_link(text: str) -> str | None:
    """The file id in a Slack file link (`https://team.slack.com/files/U…/F…/name`), if any."""
    match = _FILE_LINK.search(text)
    return match.group(1) if match else None


def complete(client: WebClient, file: dict) -> dict:
    """Events may carry a partial file object (`file_access: check_file_info`); files.info fills it in."""
    if file.get("url_private") and file.get("file_access") != "check_file_info":
        return file
    return client.files_info(file=file["id"])["file"]


def shared_format(file: dict) -> str:
    """ "pdf", "docx" or "html" for a file to convert, else "text" (Markdown is read as text)."""
    name = str(file.get("name") or "")
    fmt = format_of(name)
    if fmt in CONVERTED_FORMATS:
        return fmt
    filetype = str(file.get("filetype") or "")
    return filetype if filetype in CONVERTED_FORMATS else "text"


def download_text(client: WebClient, file: dict, settings: Settings) -> SharedText:
    """The file's text (Markdown, for a PDF, DOCX or HTML file), fetched with the bot token."""
    name = str(file.get("name") or file.get("title") or file.get("id") or "shared file")
    fmt = shared_format(file)
    if fmt == "text":
        body = _download(client, file, name, settings.max_file_bytes, html_expected=False)
        try:
            return SharedText(name, body.decode("utf-8"))
        except UnicodeDecodeError:
            raise InputError(f"`{name}` is not UTF-8 text.", f"I review {READABLE_TYPES} files.") from None
    body = _download(client, file, name, settings.max_convert_bytes, html_expected=fmt == "html")
    with Converter(Limits.from_settings(settings)) as converter:
        try:
            return SharedText(name, convert_bytes(body, name, fmt, converter).text)
        except SkipFile as skip:
            raise InputError(
                f"I can't read `{name}`: {skip.reason}.",
                "Or share the document as Markdown or plain text, or paste its text.",
            ) from None


def _download(client: WebClient, file: dict, name: str, max_bytes: int, html_expected: bool) -> bytes:
    url = file.get("url_private_download") or file.get("url_private")
    if not url:
        raise InputError(f"Slack did not give me a download link for `{name}`.", "Try sharing it again.")
    if int(file.get("size") or 0) > max_bytes:
        raise InputError(f"`{name}` is larger than {max_bytes:,} bytes.", "Share a shorter document.")
    allowed = _origin(client.base_url)
    _check_host(url, allowed)
    opener = urllib.request.build_opener(_SlackOnlyRedirects(allowed))
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {client.token}"})
    try:
        with opener.open(request, timeout=DOWNLOAD_TIMEOUT_S) as response:
            content_type = response.headers.get("Content-Type", "")
            body = response.read(max_bytes + 1)
    except urllib.error.HTTPError as exc:
        raise InputError(
            f"Slack refused the download of `{name}` (HTTP {exc.code}).",
            "Check that the app has the `files:read` scope and is in the conversation.",
        ) from None
    if "text/html" in content_type and not html_expected:
        raise InputError(
            f"Slack sent a web page instead of `{name}`.", "The app needs the `files:read` scope."
        )
    if len(body) > max_bytes:
        raise InputError(f"`{name}` is larger than {max_bytes:,} bytes.", "Share a shorter document.")
    return body


def _origin(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    return parts.scheme, parts.netloc.lower()


def _check_host(url: str, api_origin: tuple[str, str]) -> None:
    scheme, host = _origin(url)
    slack_host = scheme == "https" and (host == "slack.com" or host.endswith(".slack.com"))
    if not (slack_host or (scheme, host) == api_origin):
        raise InputError("That file is not hosted by Slack, so I won't send it my token.")


class _SlackOnlyRedirects(urllib.request.HTTPRedirectHandler):
    """Follows a redirect only to a host the token may go to."""

    def __init__(self, api_origin: tuple[str, str]) -> None:
        self._api_origin = api_origin

    def redirect_request(self, req, fp, code, msg, headers, newurl):  # type: ignore[override]
        _check_host(newurl, self._api_origin)
        return super().redirect_request(req, fp, code, msg, headers, newurl)
