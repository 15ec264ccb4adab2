"""`presskit send` against a real SMTP server on 127.0.0.1: STARTTLS, AUTH, one message per recipient, PDF
bytes, headers, DKIM, exactly once, failures, embargo, corrections, list errors, dry runs, the password."""

from __future__ import annotations

import io
import os
from html.parser import HTMLParser

import dkim
import pypdf

from presskit.build import progress

from support.project import GOOD_RELEASE, MINIMAL_CONFIG, make_project, run_presskit
from support.smtpserver import PASSWORD, Handler, Server, dkim_keys

SLUG = "2024-01-15-good"
EMBARGOED = """\
title: Embargoed news
date: 2030-01-15T09:00:00+01:00
embargo: 2030-01-15T09:00:00+01:00
location: Paris
tags: [energy]
body: |
  Secret until then.
contacts:
  - name: Ann Example
    email: ann@example.org
"""
LIST = "email,name,lang,embargo,tags\n" + "".join(
    f"j{n}@example.net,Journaliste Élodie {n},,{'yes' if n < 2 else 'no'},{'sport' if n == 4 else ''}\n"
    for n in range(5)
)


def project(tmp_path, server: Server, releases=None, **mail):
    root = make_project(
        tmp_path / "p", releases or {f"{SLUG}.yaml": GOOD_RELEASE}, MINIMAL_CONFIG + server.mail_table(**mail)
    )
    (root / "lists").mkdir()
    (root / "lists" / "press.csv").write_text(LIST, encoding="utf-8")
    return root


def send(root, server, *args):
    return run_presskit("send", *args, "--yes", cwd=root, env=server.env())


def test_one_message_per_recipient_over_starttls_with_the_published_pdf_and_dkim(tmp_path):
    with Server(tmp_path) as server:
        key, record = dkim_keys(tmp_path)
        root = project(tmp_path, server, dkim_selector='"test"', dkim_key=f'"{key}"')
        done = send(root, server, SLUG, "--list", "press")
        assert done.returncode == 0, done.stderr
        assert "sent 4, failed 0, skipped 1" in done.stdout
        got = server.handler.messages()
    assert sorted(r for r, _, _ in got) == [f"j{n}@example.net" for n in range(4)]
    pdf = (root / "out" / SLUG / f"{SLUG}.pdf").read_bytes()
    ids = set()
    for rcpt, msg, raw in got:
        assert msg["To"].addresses[0].addr_spec == rcpt
        assert msg["To"].addresses[0].display_name.startswith("Journaliste Élodie")
        assert b"=?utf-8?" in raw.split(b"\r\n\r\n", 1)[0]  # the non-ASCII name, RFC 2047
        assert msg["Subject"] == "A good release"
        assert msg["List-Unsubscribe"] == "<https://news.example.org/unsubscribe>"
        assert msg["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        assert msg["Message-ID"].endswith("@example.org>")
        ids.add(msg["Message-ID"])
        assert msg.get_content_type() == "multipart/mixed"
        text = msg.get_body(("plain",)).get_content()
        html = msg.get_body(("html",)).get_content()
        assert "First paragraph of the body." in text
        parser = HTMLParser()
        parser.feed(html)
        assert "<h1" in html and "First paragraph of the body." in html and "<script" not in html
        assert text.replace("\r\n", "\n").endswith(  # the sample project writes in English
            "\n-- \nYou receive this release as a journalist on the press list of "
            "Test Office.\nUnsubscribe: https://news.example.org/unsubscribe\n"
        )
        assert '<a href="https://news.example.org/unsubscribe">Unsubscribe</a>' in html
        [attachment] = list(msg.iter_attachments())
        assert attachment.get_filename() == f"{SLUG}.pdf"
        assert attachment.get_content() == pdf
        assert dkim.verify(raw, dnsfunc=lambda name, timeout=5: record)
    assert len(ids) == 4

    again = send(root, server, SLUG, "--list", "press")
    assert again.returncode == 0, again.stderr
    assert "0 to send, 4 already sent" in again.stdout

    log = run_presskit("sends", cwd=root)
    assert "sent 4, failed 0, pending 0" in log.stdout
    for folder, _dirs, files in os.walk(root):
        for name in files:
            path = os.path.join(folder, name)
            with open(path, "rb") as written:
                assert PASSWORD.encode() not in written.read()
    for output in (done, again, log):
        assert PASSWORD not in output.stdout + output.stderr


def test_550_fails_451_is_retried_the_others_are_sent_once_with_a_line_each_off_a_terminal(tmp_path):
    handler = Handler(refuse={"j1@example.net"}, once={"j2@example.net"})
    with Server(tmp_path, handler) as server:
        root = project(tmp_path, server)
        done = send(root, server, SLUG, "--list", "press")
        got = sorted(r for r, _, _ in server.handler.messages())
    assert done.returncode == 1
    assert got == ["j0@example.net", "j2@example.net", "j3@example.net"]
    assert "sent 3, failed 1, skipped 1" in done.stdout
    assert [line for line in done.stderr.splitlines() if ": warning: " not in line] == [
        "presskit: sending 4 messages (0 already sent)",
        "[1/4] sent j0@example.net",
        "[2/4] failed j1@example.net",
        "[3/4] sent j2@example.net",
        "[4/4] sent j3@example.net",
        "lists/press.csv:3: refused by the server: 550 5.1.1 user unknown",
    ]


def test_a_recipient_refused_for_good_is_tried_again_only_with_retry_failed_and_quiet_prints_one_line(tmp_path):
    handler = Handler(refuse={"j1@example.net"})
    with Server(tmp_path, handler) as server:
        root = project(tmp_path, server)
        first = send(root, server, SLUG, "--list", "press", "--quiet")
        assert first.returncode == 1
        assert first.stdout == "presskit: sent 3, failed 1, skipped 1.\n"
        assert first.stderr == "lists/press.csv:3: refused by the server: 550 5.1.1 user unknown\n"
        again = send(root, server, SLUG, "--list", "press")
        assert again.returncode == 0, again.stderr
        assert again.stdout == (
            "presskit: 0 to send, 3 already sent, 1 refused before (--retry-failed to try them again), 1 skipped.\n"
        )
        handler.refuse.clear()  # the journalist's mailbox was fixed
        retried = send(root, server, SLUG, "--list", "press", "--retry-failed", "--quiet")
        got = sorted(r for r, _, _ in server.handler.messages())
    assert retried.returncode == 0, retried.stderr
    assert retried.stdout == "presskit: sent 1, failed 0, skipped 4.\n"
    assert got == ["j0@example.net", "j1@example.net", "j2@example.net", "j3@example.net"]


def test_embargo_before_and_after_lift(tmp_path):
    with Server(tmp_path) as server:
        root = project(tmp_path, server, releases={"2030-01-15-secret.yaml": EMBARGOED})
        (root / "lists" / "press.csv").write_text(LIST.replace(",sport", ",energy"), encoding="utf-8")
        before = send(root, server, "2030-01-15-secret", "--list", "press", "--now", "2029-12-01T10:00:00+00:00")
        assert before.returncode == 0, before.stderr
        early = server.handler.messages()
        assert sorted(r for r, _, _ in early) == ["j0@example.net", "j1@example.net"]
        for _rcpt, msg, _raw in early:
            assert msg["Subject"].startswith("EMBARGO until January 15, 2030")
            assert "EMBARGO" in msg.get_body(("plain",)).get_content()
            assert "EMBARGO" in msg.get_body(("html",)).get_content()
            [pdf] = list(msg.iter_attachments())
            text = "".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf.get_content())).pages)
            assert "EMBARGO: not for publication before" in " ".join(text.split())
        assert not (root / "out" / "2030-01-15-secret").exists()
        after = send(root, server, "2030-01-15-secret", "--list", "press", "--now", "2030-02-01T10:00:00+00:00")
        assert after.returncode == 0, after.stderr
        assert "3 to send, 2 already sent" in after.stdout
        late = server.handler.messages()[2:]
    assert sorted(r for r, _, _ in late) == ["j2@example.net", "j3@example.net", "j4@example.net"]
    assert all(not msg["Subject"].startswith("EMBARGO") for _, msg, _ in late)


def test_correction_is_threaded_to_each_recipients_original(tmp_path):
    with Server(tmp_path) as server:
        root = project(tmp_path, server)
        (root / "lists" / "press.csv").write_text(LIST.replace("j3@", "late@"), encoding="utf-8")
        assert send(root, server, SLUG, "--list", "press").returncode == 0
        originals = {r: msg["Message-ID"] for r, msg, _ in server.handler.messages()}
        refused = send(root, server, SLUG, "--correction")
        assert refused.returncode == 1 and "no 'updated' or 'correction'" in refused.stderr
        source = root / "releases" / f"{SLUG}.yaml"
        source.write_text(
            source.read_text().replace("First paragraph", "Corrected paragraph")
            + "updated: 2024-01-16T10:00:00+01:00\ncorrection: The first paragraph was wrong.\n"
        )
        done = send(root, server, SLUG, "--correction")
        assert done.returncode == 0, done.stderr
        corrections = server.handler.messages()[len(originals) :]
    assert sorted(r for r, _, _ in corrections) == sorted(originals)
    for rcpt, msg, _ in corrections:
        assert msg["Subject"] == "CORRECTION: A good release"
        assert msg["In-Reply-To"] == originals[rcpt] and msg["References"] == originals[rcpt]
        text = msg.get_body(("plain",)).get_content()
        assert "The first paragraph was wrong." in text and "−First +Corrected" in text


def test_list_errors_are_all_reported_at_line_and_column_and_nothing_is_sent(tmp_path):
    with Server(tmp_path) as server:
        root = project(tmp_path, server)
        (root / "lists" / "press.csv").write_text(
            "email,name,embargo,colour\nnot-an-address,A,no,\nb@example.net,B,maybe,\nb@example.net,B,no,\n",
            encoding="utf-8",
        )
        done = send(root, server, SLUG, "--list", "press")
        assert server.handler.count() == 0
    assert done.returncode == 1
    errors = [line for line in done.stderr.splitlines() if ": error: " in line]
    assert errors[0].startswith("lists/press.csv:1:20: error: unknown column 'colour'")
    assert any(e.startswith("lists/press.csv:2:1: error: bad address") for e in errors)
    assert any(e.startswith("lists/press.csv:3:17: error: unknown embargo value 'maybe'") for e in errors)
    assert any(e.startswith("lists/press.csv:4:1: error: duplicate address") for e in errors)


def test_dry_run_writes_eml_files_sends_and_records_nothing(tmp_path):
    with Server(tmp_path) as server:
        root = project(tmp_path, server)
        done = send(root, server, SLUG, "--list", "press", "--dry-run", str(tmp_path / "dry"))
        assert done.returncode == 0, done.stderr
        assert server.handler.count() == 0
        (tmp_path / "full").mkdir()
        (tmp_path / "full" / "x").write_text("x")
        refused = send(root, server, SLUG, "--list", "press", "--dry-run", str(tmp_path / "full"))
    assert refused.returncode == 1 and "not empty" in refused.stderr
    assert sorted(p.name for p in (tmp_path / "dry").iterdir())[-1] == "index.txt"
    assert len((tmp_path / "dry" / "index.txt").read_text().splitlines()) == 4
    assert run_presskit("sends", cwd=root).stdout == "presskit: nothing has been sent yet.\n"


def test_yes_is_required_off_a_terminal(tmp_path):
    with Server(tmp_path) as server:
        root = project(tmp_path, server)
        done = run_presskit("send", SLUG, "--list", "press", cwd=root, env=server.env())
        assert server.handler.count() == 0
    assert done.returncode == 2 and "--yes" in done.stderr


def test_a_terminal_gets_a_rich_bar_of_the_messages_with_the_failures_above_it():
    class Terminal(io.StringIO):
        def isatty(self):
            return True

    stream = Terminal()
    display = progress.for_terminal(False, False, stream, progress.SEND)
    assert isinstance(display, progress.Bar)
    display.start(2, 3)
    display.rendered("a@example.net", True)
    display.rendered("b@example.net", False)
    display.finish()
    shown = stream.getvalue()
    assert "Sending" in shown and "2/2" in shown and "(3 already sent)" in shown
    assert "failed b@example.net" in shown and "a@example.net" not in shown


FRENCH = """\
title: Un bon communiqué
date: 2024-01-15
lang: fr
translation_of: 2024-01-15-good
location: Paris
body: |
  Premier paragraphe du texte.
contacts:
  - name: Ann Example
    email: ann@example.org
"""


def test_a_recipient_gets_the_translation_in_their_language_others_the_original(tmp_path):
    releases = {f"{SLUG}.yaml": GOOD_RELEASE, "2024-01-15-bon.yaml": FRENCH}
    with Server(tmp_path) as server:
        root = project(tmp_path, server, releases=releases)
        (root / "lists" / "press.csv").write_text(
            "email,name,lang\nfr@example.net,A,fr\nfr-ca@example.net,B,FR\nde@example.net,C,de\nnone@example.net,D,\n",
            encoding="utf-8",
        )
        done = send(root, server, SLUG, "--list", "press")
        assert done.returncode == 0, done.stderr
        got = {rcpt: msg for rcpt, msg, _ in server.handler.messages()}
    assert sorted(got) == ["de@example.net", "fr-ca@example.net", "fr@example.net", "none@example.net"]
    pdfs = {slug: (root / "out" / slug / f"{slug}.pdf").read_bytes() for slug in (SLUG, "2024-01-15-bon")}
    for rcpt, msg in got.items():
        french = rcpt.startswith("fr")
        assert msg["Subject"] == ("Un bon communiqué" if french else "A good release")
        assert msg["Content-Language"] == ("fr" if french else "en")
        text = msg.get_body(("plain",)).get_content()
        assert ("Premier paragraphe du texte." in text) is french
        assert ("First paragraph of the body." in text) is not french
        [attachment] = list(msg.iter_attachments())
        slug = "2024-01-15-bon" if french else SLUG
        assert attachment.get_filename() == f"{slug}.pdf"
        assert attachment.get_content() == pdfs[slug]
