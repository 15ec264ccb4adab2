"""`presskit send`: one message per journalist of the press lists, embargo-aware, recorded so it goes once."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from email.utils import make_msgid
from pathlib import Path

from presskit.build import outputs, pipeline
from presskit.diagnostics import Reporter
from presskit.mail import compose, ledger, lists, settings, transport
from presskit.mail.lists import Recipient
from presskit.site.view import ReleaseView
from presskit.sources import translations


class SendError(Exception):
    """The send cannot start (unknown release, no sender, a build that failed ...): nothing was sent."""


@dataclass(frozen=True)
class SendOptions:
    """What the command line asks for."""

    root: Path
    slug: str
    lists: tuple[str, ...]
    now: dt.datetime | None = None
    dry_run: Path | None = None
    correction: bool = False
    environ: dict[str, str] = field(default_factory=dict)
    retry_failed: bool = False  # send again to those whose server refused an earlier message for good


@dataclass
class Item:
    """One message to send: to whom, in which version of the release, with which PDF and thread."""

    recipient: Recipient
    view: ReleaseView
    pdf: bytes | None
    message_id: str = ""
    thread: compose.Thread | None = None


@dataclass
class SendPlan:
    """Everything decided before the first message: the release, the recipients, what was already sent."""

    options: SendOptions
    mail: settings.MailSettings
    view: ReleaseView
    version: str
    embargoed: bool
    items: list[Item]
    already: int = 0
    skipped: int = 0
    refused: int = 0  # refused for good by their server before, and not tried again (see retry_failed)

    @property
    def subject(self) -> str:
        return compose.subject(self.view, self.embargoed, self.options.correction)


@dataclass
class SendResult:
    sent: int = 0
    failures: list[tuple[str, str]] = field(default_factory=list)  # (lists/x.csv:LINE, reply)


def prepare(options: SendOptions, reporter: Reporter) -> SendPlan | None:
    """Read the configuration, lists and releases, build, and decide who gets what; None when errors."""
    root = options.root.resolve()
    config = pipeline.load_config(root, reporter)
    mail = settings.read(config, reporter)
    recipients = lists.read(config, list(options.lists), reporter)
    sources = pipeline.load_releases(config, reporter, options.now)
    if reporter.errors:
        return None
    by_slug = {s.release.slug: s.release for s in sources}
    release = by_slug.get(options.slug)
    if release is None:
        raise SendError(f"no release '{options.slug}' in {config.releases_dir}/")
    if release.draft:
        raise SendError(f"{options.slug} is a draft; drafts are never sent")
    if options.dry_run is None and mail.sender is None:
        raise SendError("set 'from' in [tool.presskit.mail] to send")
    if len(recipients) > 1 and not mail.unsubscribe:
        raise SendError("set 'unsubscribe' in [tool.presskit.mail] (a mailto: address or https URL) to send to a list")
    now = options.now or dt.datetime.now(dt.UTC)
    embargoed = release.embargo is not None and release.embargo > now
    group = translations.groups([s.release for s in sources])[release.slug]
    views, pdfs = _render(root, release, group, now, embargoed, mail.attach_pdf, by_slug)
    version = hashlib.sha256(release.source.read_bytes()).hexdigest()[:16]
    plan = SendPlan(options, mail, views[release.slug], version, embargoed, [])
    with ledger.Ledger(root) as book:
        history = book.of(release.slug)
    if options.correction:
        _correction_items(plan, recipients, history, views, pdfs)
        return plan
    for recipient in recipients:
        if (embargoed and not recipient.embargo) or not recipient.wants(release.tags):
            plan.skipped += 1
            continue
        entries = history.get(recipient.email.lower(), [])
        if any(e.state == "sent" for e in entries):
            plan.already += 1
            continue
        if any(e.state == "failed" for e in entries) and not options.retry_failed:
            plan.refused += 1  # a 5xx reply is permanent: sending again needs a decision (--retry-failed)
            continue
        view = _in_language(views, group, recipient, release.slug)
        mine = [e for e in entries if e.version == version]
        item = Item(recipient, view, pdfs.get(view.slug), mine[0].message_id if mine else "")
        plan.items.append(item)
    return plan


def _in_language(views: dict[str, ReleaseView], group, recipient: Recipient, slug: str) -> ReleaseView:
    """The recipient's language when the release has a translation in it, else the release's own."""
    if recipient.lang:
        for other in group:
            if other.lang.lower() == recipient.lang.lower() and other.slug in views:
                return views[other.slug]
    return views[slug]


def _correction_items(plan: SendPlan, recipients, history, views, pdfs) -> None:
    release = plan.view.release
    if release.updated is None and not release.correction:
        raise SendError(f"{release.slug} has no 'updated' or 'correction': there is no correction to send")
    if not any(e.state == "sent" for entries in history.values() for e in entries):
        raise SendError(f"{release.slug} was never sent: send it first, without --correction")
    known = {r.email.lower(): r for r in recipients}
    for address, entries in history.items():
        sent = [e for e in entries if e.state == "sent"]
        if not sent:
            continue
        if any(e.version == plan.version for e in sent):
            plan.already += 1
            continue
        if not [e for e in sent if e.version != plan.version]:
            continue
        original, latest = sent[0], sent[-1]
        recipient = known.get(address, Recipient(original.recipient))
        mine = [e for e in entries if e.version == plan.version]
        thread = compose.Thread(original.message_id, latest.text)
        item = Item(recipient, plan.view, pdfs.get(release.slug), mine[0].message_id if mine else "", thread)
        plan.items.append(item)


def _render(root: Path, release, group, now, embargoed: bool, attach: bool, by_slug):
    """The views of the release and its translations, and their PDFs as the build makes them."""
    with tempfile.TemporaryDirectory(prefix="presskit-send-") as temp:
        copies = Path(temp) / "embargoed"
        options = pipeline.BuildOptions(root=root, now=now, embargoed=copies if embargoed else None)
        result = pipeline.build(options)
        if result.refused or result.busy or not result.ok:
            why = result.refused or "; ".join(str(d) for d in result.reporter.errors) or "another build is running"
            raise SendError(f"the build failed, nothing was sent: {why}")
        folder = copies if embargoed else root / "out"
        if embargoed:
            related = [r for r in group if r.embargo is not None and r.embargo > now and not r.draft]
            views = {r.slug: ReleaseView(r, release_config(root), embargo_copy=True) for r in related}
        else:
            public = [r for r in by_slug.values() if pipeline.is_public(r, now, False)]
            views = {v.slug: v for v in pipeline.release_views(public, release_config(root))}
            views = {r.slug: views[r.slug] for r in group if r.slug in views}
        pdfs = {}
        for slug, view in views.items():
            path = folder / slug / view.pdf_name
            if attach and path.is_file():
                pdfs[slug] = path.read_bytes()
    return views, pdfs


def release_config(root: Path):
    return pipeline.load_config(root, Reporter(root))


def dry_run(plan: SendPlan, folder: Path) -> list[Path]:
    """Write every message as a .eml file and index.txt into a new or empty folder; nothing is sent."""
    root = plan.options.root.resolve()
    config = release_config(root)
    sources = {
        "releases folder": root / config.releases_dir,
        "templates folder": root / config.templates_dir,
        "lists folder": root / config.lists_dir,
        "cache folder": root / ".presskit",
    }
    try:
        outputs.check({"the dry-run folder": folder}, root, sources, {"the dry-run folder": str(folder)})
    except outputs.OutputFolderError as exc:
        raise SendError(str(exc)) from None
    folder.mkdir(parents=True, exist_ok=True)
    written, index = [], []
    for number, item in enumerate(plan.items, 1):
        message_id = item.message_id or make_msgid(domain=plan.mail.domain)
        msg = compose.message(item.view, plan.mail, item.recipient, message_id, item.pdf, plan.embargoed, item.thread)
        data = compose.as_bytes(msg, plan.mail)
        name = f"{number:04d}-{re.sub(r'[^A-Za-z0-9@._-]', '_', item.recipient.email)}.eml"
        (folder / name).write_bytes(data)
        written.append(folder / name)
        index.append(f"{item.recipient.email}\t{msg['Subject']}\t{len(data)}")
    (folder / "index.txt").write_text("\n".join(index) + ("\n" if index else ""), encoding="utf-8")
    return written


def deliver(plan: SendPlan, sent: Callable[[Item, transport.Outcome], None] | None = None) -> SendResult:
    """Send the plan's messages one by one; each is queued before and marked after the server answers."""
    root, slug = plan.options.root.resolve(), plan.view.slug
    result = SendResult()
    password = plan.mail.password(plan.options.environ or dict(os.environ))
    with ledger.Ledger(root) as book:
        for item in plan.items:
            item.message_id = item.message_id or make_msgid(domain=plan.mail.domain)
        queued = [(item.recipient.email, item.message_id) for item in plan.items]
        book.queue(slug, plan.version, queued, plan.options.correction, compose.plain_text(plan.view))
        smtp = transport.Transport(plan.mail, password)
        try:
            for item in plan.items:
                msg = compose.message(
                    item.view, plan.mail, item.recipient, item.message_id, item.pdf, plan.embargoed, item.thread
                )
                outcome = smtp.send(plan.mail.sender.addr_spec, item.recipient.email, compose.as_bytes(msg, plan.mail))
                state = "sent" if outcome.accepted else "failed"
                book.mark(slug, plan.version, item.recipient.email, state, outcome.reply)
                if outcome.accepted:
                    result.sent += 1
                else:
                    result.failures.append((item.recipient.where or item.recipient.email, outcome.reply))
                if sent is not None:
                    sent(item, outcome)
        except transport.TransportError as exc:
            raise SendError(f"{exc}; {result.sent} sent before, the others stay queued for the next run") from None
        finally:
            smtp.close()
    return result


def log(root: Path, slug: str | None) -> list[str]:
    """`presskit sends`: per release and version, how many sent, failed and pending, and the failures."""
    with ledger.Ledger(root.resolve()) as book:
        entries = book.entries(slug)
    lines, groups = [], {}
    for entry in entries:
        groups.setdefault((entry.slug, entry.version), []).append(entry)
    for (name, version), items in groups.items():
        counts = {state: sum(e.state == state for e in items) for state in ("sent", "failed", "queued")}
        kind = " (correction)" if any(e.correction for e in items) else ""
        first = min(e.time for e in items)
        lines.append(
            f"{name} version {version}{kind}, {first}: sent {counts['sent']}, failed {counts['failed']},"
            f" pending {counts['queued']}"
        )
        lines += [f"  failed: {e.recipient}: {e.reply}" for e in items if e.state == "failed"]
    return lines
