"""One e-mail per recipient: text and e-mail-safe HTML made from the release's view, the PDF, the headers."""

from __future__ import annotations

import datetime as dt
import difflib
from dataclasses import dataclass
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP, default
from email.utils import format_datetime

import dkim
import jinja2

from presskit.mail.lists import Recipient
from presskit.mail.settings import MailSettings
from presskit.site.view import ReleaseView
from presskit.text import markup

_ENV = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)
# Inline styles and simple blocks only: what mail clients show without a stylesheet, scripts or web fonts.
_HTML = _ENV.from_string(
    """<!DOCTYPE html>
<html lang="{{ v.release.lang }}" dir="{{ v.locale.direction }}"><head><meta charset="utf-8">
<title>{{ v.release.title }}</title></head>
<body style="margin:0;padding:16px;font-family:Arial,Helvetica,sans-serif;color:#111;line-height:1.5">
<div style="max-width:640px;margin:0 auto">
{% for notice in notices %}<p style="border:2px solid #b00;color:#b00;padding:8px;font-weight:bold">{{ notice }}</p>
{% endfor %}{% if summary %}<p style="background:#f4f4f4;padding:8px">{{ summary }}</p>
{% endif %}<p style="text-transform:uppercase;font-size:13px;color:#555">{{ v.release.label }}</p>
<p style="font-size:13px;color:#555">{{ v.dateline }}</p>
<h1 style="font-size:22px;line-height:1.3">{{ v.release.title }}</h1>
{% if v.release.subtitle %}<p style="font-size:17px">{{ v.release.subtitle }}</p>{% endif %}
{% if v.lead_html %}<p style="font-weight:bold">{{ v.lead_html }}</p>{% endif %}
{{ v.body_html }}
{% if v.release.links %}<h2 style="font-size:17px">{{ v.label("more_info") }}</h2><ul>
{% for link in v.release.links %}<li><a href="{{ link.url }}">{{ link.label }}</a></li>{% endfor %}</ul>{% endif %}
{% if credits %}<p style="font-size:13px;color:#555">{{ v.colon(v.label("photo_credits")) }} {{ credits }}</p>{% endif %}
<h2 style="font-size:17px">{{ v.contacts_heading }}</h2>
{% for c in v.release.contacts %}<p>{{ c.name }}{% if c.role %}, {{ c.role }}{% endif %}
{% if c.email %}<br><a href="mailto:{{ c.email }}">{{ c.email }}</a>{% endif %}
{% if c.phone %}<br>{{ v.colon(v.label("phone")) }} {{ c.phone }}{% endif %}
{% if c.mobile %}<br>{{ v.colon(v.label("mobile")) }} {{ c.mobile }}{% endif %}</p>
{% endfor %}{% if about %}<h2 style="font-size:17px">{{ v.label("about") }}</h2><p>{{ about }}</p>{% endif %}
<p><a href="{{ v.url }}">{{ v.label("read_more") }}</a> · <a href="{{ v.absolute(v.pdf_name) }}">PDF</a>
· <a href="{{ v.absolute(v.docx_name) }}">DOCX</a></p>
{% if unsubscribe %}<p style="font-size:12px;color:#555;border-top:1px solid #ddd;padding-top:8px">
{{ v.label("why_received", organization=v.config.organization) }}
<a href="{{ unsubscribe }}">{{ v.label("unsubscribe") }}</a></p>{% endif %}
</div></body></html>
"""
)


@dataclass(frozen=True)
class Thread:
    """A correction: the recipient's original Message-ID and the text of the version they received."""

    message_id: str
    old_text: str


def plain_text(view: ReleaseView) -> str:
    """The release as the text part shows it: what the page says, in reading order."""
    release = view.release
    parts = [release.label.upper(), view.dateline, "", release.title]
    if release.subtitle:
        parts.append(release.subtitle)
    parts.append("")
    if view.lead_text:
        parts += [view.lead_text, ""]
    parts += [markup.plain_text(view.body_tokens), ""]
    if release.links:
        parts += [view.label("more_info"), *(f"- {link.label}: {link.url}" for link in release.links), ""]
    credits = _credits(view)
    if credits:
        parts += [f"{view.colon(view.label('photo_credits'))} {credits}", ""]
    parts.append(view.contacts_heading)
    for c in release.contacts:
        line = ", ".join(x for x in (c.name, c.role, c.email, c.phone, c.mobile) if x)
        parts.append(f"- {line}")
    about = release.about or view.config.about_for(release.lang)
    if about:
        parts += ["", view.label("about"), about]
    return "\n".join(parts).strip() + "\n"


def _credits(view: ReleaseView) -> str:
    release = view.release
    return release.photo_credits or ", ".join(dict.fromkeys(p.credit for p in release.photos if p.credit))


def change_summary(old: str, new: str, limit: int = 12) -> str:
    """A short word-level summary of what changed: '−old words +new words' chunks, at most `limit`."""
    a, b = old.split(), new.split()
    chunks = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            continue
        removed, added = " ".join(a[i1:i2]), " ".join(b[j1:j2])
        chunks.append(" ".join(x for x in (f"−{removed}" if removed else "", f"+{added}" if added else "") if x))
    more = f" (+{len(chunks) - limit})" if len(chunks) > limit else ""
    return "; ".join(chunks[:limit]) + more


def subject(view: ReleaseView, embargoed: bool, correction: bool) -> str:
    """The title, after the localized embargo notice or correction prefix."""
    prefix = []
    if correction:
        prefix.append(view.label("correction_subject"))
    if embargoed and view.release.embargo is not None:
        prefix.append(view.label("embargo_subject", datetime=view.embargo_text))
    return " ".join([*prefix, view.release.title])


def message(
    view: ReleaseView,
    settings: MailSettings,
    recipient: Recipient,
    message_id: str,
    pdf: bytes | None,
    embargoed: bool,
    thread: Thread | None = None,
    now: dt.datetime | None = None,
) -> EmailMessage:
    """The message for one recipient: multipart/alternative text and HTML, and the PDF (multipart/mixed)."""
    msg = EmailMessage(policy=default)
    msg["From"] = settings.sender or Address("", "press", "localhost")
    msg["To"] = Address(display_name=recipient.name, addr_spec=recipient.email)
    if settings.reply_to:
        msg["Reply-To"] = settings.reply_to
    msg["Subject"] = subject(view, embargoed, thread is not None)
    msg["Date"] = format_datetime(now or dt.datetime.now(dt.UTC))
    msg["Message-ID"] = message_id
    if thread is not None:
        msg["In-Reply-To"] = thread.message_id
        msg["References"] = thread.message_id
    if settings.unsubscribe:
        msg["List-Unsubscribe"] = f"<{settings.unsubscribe}>"
        if settings.unsubscribe.startswith("https://"):
            msg["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    notices = list(view.notices) if embargoed else [n for n in view.notices if n]
    if embargoed and view.release.embargo is not None and not view.embargo_copy:
        notices.insert(0, view.label("embargo_notice", datetime=view.embargo_text))
    summary = ""
    if thread is not None:
        notices.append(view.correction_line)
        changed = change_summary(thread.old_text, plain_text(view))
        summary = changed
    text = plain_text(view)
    top = "\n".join(n for n in notices if n)
    body = "\n\n".join(x for x in (top, summary, text) if x)
    if not pdf:
        body += f"\nPDF: {view.absolute(view.pdf_name)}\nDOCX: {view.absolute(view.docx_name)}\n"
    if settings.unsubscribe:  # said in the message too: not every mail client shows List-Unsubscribe
        why = view.label("why_received", organization=view.config.organization)
        body += f"\n-- \n{why}\n{view.colon(view.label('unsubscribe'))} {settings.unsubscribe}\n"
    msg.set_content(body)
    about = view.release.about or view.config.about_for(view.release.lang)
    html = _HTML.render(
        v=view,
        notices=[n for n in notices if n],
        summary=summary,
        credits=_credits(view),
        about=about,
        unsubscribe=settings.unsubscribe,
    )
    msg.add_alternative(html, subtype="html")
    if pdf:
        msg.add_attachment(pdf, maintype="application", subtype="pdf", filename=view.pdf_name)
    msg["Content-Language"] = view.release.lang  # last: set_content and make_mixed drop or move Content-* headers
    return msg


def as_bytes(msg: EmailMessage, settings: MailSettings) -> bytes:
    """The message as sent (CRLF lines), DKIM-signed when a selector and key are configured."""
    data = msg.as_bytes(policy=SMTP)
    if settings.dkim_selector and settings.dkim_key is not None:
        headers = [b"From", b"To", b"Subject", b"Date", b"Message-ID", b"Content-Type"]
        signature = dkim.sign(
            data,
            settings.dkim_selector.encode(),
            settings.domain.encode(),
            settings.dkim_key.read_bytes(),
            include_headers=headers,
        )
        data = signature + data
    return data
