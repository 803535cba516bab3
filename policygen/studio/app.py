"""The studio's web application (Starlette): the page, checking, preview, save and download.

Safe by default: every request needs the start's random token (in the URL once, then a
cookie, or the X-Studio-Token header); the Host header must name this server (no DNS
rebinding), and a request that changes something must come from the page's own origin. Bodies
are bounded like profile files on the command line. The preview is the HTML writer's page in a
sandboxed frame without scripts; every profile value in it is escaped by the writer.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Mapping
from dataclasses import asdict
from html import escape
from importlib import resources
from typing import Any
from urllib.parse import parse_qs, quote

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Receive, Scope, Send

from policygen.core.source import MAX_FILE_BYTES
from policygen.errors import PolicygenError
from policygen.studio import form
from policygen.studio.engine import EDITIONS, FORMATS, Studio
from policygen.studio.words import EDITIONS as EDITION_NAMES
from policygen.studio.words import WORDS, word

COOKIE = "policygen_studio"
MAX_BODY = MAX_FILE_BYTES  # the limit of a profile file on the command line
_STATIC = {"studio.js": "text/javascript; charset=utf-8", "studio.css": "text/css; charset=utf-8"}


class Guard:
    """ASGI middleware: the token, the Host header, the origin of changes, the body size."""

    def __init__(self, app: ASGIApp, token: str, hosts: frozenset[str]) -> None:
        self.app, self.token, self.hosts = app, token, hosts

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Refuse what fails a check; pass the rest on with its body bounded."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        refusal = self.refusal(request)
        if refusal:
            await Response(refusal, status_code=403, media_type="text/plain")(scope, receive,
                                                                               send)
            return
        length = request.headers.get("content-length")
        if length is not None and (not length.isdigit() or int(length) > MAX_BODY):
            await Response("request too large", status_code=413)(scope, receive, send)
            return
        await self.app(scope, _bounded(receive), send)

    def refusal(self, request: Request) -> str:
        """Why a request is refused ('' when it is not)."""
        host = request.headers.get("host", "")
        if host not in self.hosts:
            return "unknown host"
        given = request.query_params.get("token") or request.headers.get("x-studio-token") \
            or request.cookies.get(COOKIE) or ""
        if not secrets.compare_digest(given.encode(), self.token.encode()):
            return "missing or wrong token: open the address policygen studio printed"
        if request.method not in ("GET", "HEAD"):
            origin = request.headers.get("origin")
            if origin is not None and origin != f"http://{host}":
                return "request from another origin"
            if origin is None and "x-studio-token" not in request.headers:
                return "request without origin"
        return ""


def _bounded(receive: Receive) -> Receive:
    seen = 0

    async def bounded() -> Any:
        nonlocal seen
        message = await receive()
        seen += len(message.get("body", b""))
        if seen > MAX_BODY:
            raise ValueError("request body over the limit")
        return message

    return bounded


def create_app(studio: Studio, token: str, hosts: frozenset[str], ui: str = "en") -> ASGIApp:
    """The application for one studio start."""

    async def page(request: Request) -> Response:
        lang = request.query_params.get("ui", ui)
        lang = lang if lang in ("de", "en") else ui
        response = HTMLResponse(render_page(studio, lang))
        response.set_cookie(COOKIE, token, httponly=True, samesite="strict")
        response.headers["Content-Security-Policy"] = (
            "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
            "img-src 'self' data:; frame-src 'self'; connect-src 'self'; form-action 'self'; "
            "base-uri 'none'")
        response.headers["X-Content-Type-Options"] = "nosniff"
        return response

    async def static(request: Request) -> Response:
        name = request.path_params["name"]
        if name not in _STATIC:
            return Response("not found", status_code=404)
        data = resources.files("policygen.studio").joinpath("static", name).read_bytes()
        return Response(data, media_type=_STATIC[name],
                        headers={"X-Content-Type-Options": "nosniff"})

    async def check(request: Request) -> Response:
        body = await _json(request)
        lang = _choice(body.get("lang"), ("de", "en"), "en")
        ui_lang = _choice(body.get("ui"), ("de", "en"), ui)
        edition = _choice(body.get("edition"), EDITIONS, "employees")
        evaluation = studio.evaluate(_fields(body), ui_lang)
        result: dict[str, Any] = {
            "valid": evaluation.profile is not None,
            "problems": [asdict(p) for p in evaluation.problems],
            "check_ms": round(evaluation.seconds * 1000),
        }
        if evaluation.profile is not None:
            try:
                result.update(studio.preview(evaluation.profile, edition, lang, ui_lang))
                result.update(studio.findings(evaluation.profile, ui_lang))
            except PolicygenError as exc:
                result["valid"] = False
                result["problems"] = [{"field": "", "message": p.message, "hint": p.hint,
                                       "where": str(p.location)} for p in exc.problems]
        return JSONResponse(result)

    async def save(request: Request) -> Response:
        body = await _json(request)
        ui_lang = _choice(body.get("ui"), ("de", "en"), ui)
        evaluation = studio.evaluate(_fields(body), ui_lang)
        if evaluation.profile is None:
            return JSONResponse({"saved": False, "message": word("save_refused", ui_lang),
                                 "problems": [asdict(p) for p in evaluation.problems]},
                                status_code=422)
        if studio.target.exists() and body.get("replace") is not True and \
                not studio.replace_confirmed:
            return JSONResponse({"saved": False, "exists": True,
                                 "message": word("replace", ui_lang, path=studio.shown_name)},
                                status_code=409)
        studio.save(studio.yaml_text(evaluation.data))
        return JSONResponse({"saved": True, "message": word("saved", ui_lang,
                                                             path=studio.shown_name)})

    async def download(request: Request) -> Response:
        # an ordinary urlencoded form post (no multipart parser needed)
        try:
            submitted = {k: v[0] for k, v in parse_qs((await request.body()).decode(
                "utf-8", "replace"), max_num_fields=10).items()}
            body = json.loads(submitted.get("payload", "{}"))
        except ValueError:
            return Response("bad request", status_code=400)
        if not isinstance(body, dict):
            return Response("bad request", status_code=400)
        evaluation = studio.evaluate(_fields(body))
        if evaluation.profile is None:
            return Response(word("save_refused", ui), status_code=422, media_type="text/plain")
        what = str(submitted.get("what", ""))
        try:
            if what == "zip":
                name, data = studio.archive(evaluation.profile)
                media = "application/zip"
            else:
                fmt = _choice(what, FORMATS, "docx")
                name, data = studio.file(evaluation.profile,
                                         _choice(body.get("edition"), EDITIONS, "employees"),
                                         _choice(body.get("lang"), ("de", "en"), "en"), fmt)
                media = _MEDIA.get(fmt, "application/octet-stream")
        except PolicygenError as exc:
            return Response(exc.render(), status_code=422, media_type="text/plain")
        return Response(data, media_type=media, headers={
            "Content-Disposition": f"attachment; filename*=UTF-8''{quote(name)}"})

    async def no_icon(request: Request) -> Response:
        return Response(status_code=204)

    routes = [
        Route("/", page), Route("/static/{name}", static), Route("/favicon.ico", no_icon),
        Route("/api/check", check, methods=["POST"]), Route("/api/save", save, methods=["POST"]),
        Route("/download", download, methods=["POST"]),
    ]
    return Guard(Starlette(routes=routes), token, hosts)


_MEDIA = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "md": "text/markdown; charset=utf-8", "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
}


async def _json(request: Request) -> dict[str, Any]:
    try:
        body = json.loads(await request.body())
    except ValueError:
        body = {}
    return body if isinstance(body, dict) else {}


def _fields(body: Mapping[str, Any]) -> dict[str, Any]:
    fields = body.get("fields")
    return fields if isinstance(fields, dict) else {}


def _choice(value: Any, allowed: tuple[str, ...], default: str) -> str:
    return value if isinstance(value, str) and value in allowed else default


def _first_language(values: Any, default: str) -> str:
    """The profile's first document language, else the interface's."""
    document = values.get("document") if isinstance(values, dict) else None
    languages = document.get("languages") if isinstance(document, dict) else None
    if isinstance(languages, list) and languages and languages[0] in ("de", "en"):
        return str(languages[0])
    return default


def render_page(studio: Studio, lang: str) -> str:
    """The studio page: the form beside the preview and the panels."""
    def w(key: str) -> str:
        return escape(WORDS[key].get(lang))

    editions = "".join(f'<option value="{e}">{escape(EDITION_NAMES[e].get(lang))}</option>'
                       for e in EDITIONS)
    first = _first_language(studio.initial_values(), lang)
    languages = "".join(f'<option value="{code}"{" selected" if code == first else ""}>'
                        f"{code.upper()}</option>" for code in ("de", "en"))
    formats = "".join(f'<button type="submit" name="what" value="{f}">.{f}</button>'
                      for f in FORMATS)
    other = "en" if lang == "de" else "de"
    return f"""<!DOCTYPE html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{w("title")}</title>
<link rel="stylesheet" href="/static/studio.css">
<script src="/static/studio.js" defer></script>
</head>
<body data-ui="{lang}">
<header class="bar">
<h1>{w("title")}</h1>
<span class="file">{w("file")}: <code id="target">{escape(studio.shown_name)}</code></span>
<button type="button" id="save">{w("save")}</button>
<span id="save-status" role="status"></span>
<a id="ui-switch" href="/?ui={other}" lang="{other}">{WORDS["interface"].get(other)}: \
{other.upper()}</a>
</header>
<div class="layout">
<form id="profile" novalidate autocomplete="off">
{form.render(studio.initial_values(), lang)}
</form>
<section class="side" aria-label="{w("preview")}">
<div class="controls">
<label>{w("edition")} <select id="edition">{editions}</select></label>
<label>{w("language")} <select id="lang">{languages}</select></label>
<span id="latency" role="status"></span>
</div>
<p id="stale" hidden>{w("stale")}</p>
<iframe id="preview" title="{w("preview")}" sandbox="allow-same-origin"></iframe>
<form id="download" method="post" action="/download">
<input type="hidden" name="payload" value="">
<span>{w("download")}:</span> {formats}
<button type="submit" name="what" value="zip">{w("all_zip")}</button>
</form>
<details open id="problems-panel"><summary>{w("problems")}</summary>
<ul id="problems"></ul><p id="no-problems" hidden>{w("no_problems")}</p></details>
<details id="explain-panel"><summary>{w("explain")}</summary><ul id="explain"></ul></details>
<details open id="lint-panel"><summary>{w("lint")}</summary><ul id="lint"></ul></details>
<details open id="readiness-panel"><summary>{w("readiness")}</summary>
<ul id="readiness"></ul></details>
</section>
</div>
<template id="words">{escape(json.dumps({k: v.get(lang) for k, v in WORDS.items()}))}</template>
</body>
</html>
"""
