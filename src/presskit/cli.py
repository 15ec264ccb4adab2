"""The `presskit` command line: the only place that prints diagnostics and chooses exit codes."""

from __future__ import annotations

import dataclasses
import datetime as dt
import sys
from pathlib import Path

import click

from presskit import __version__
from presskit.text import dateline

# The commands import the rest of presskit inside their functions, deliberately: `presskit build` must start
# the render workers' fork server (build.warmstart) before anything else is imported, so that the workers'
# imports overlap the loading of the releases, and each command pays only for what it uses.


class _When(click.ParamType):
    """A date (`date_only`) or an ISO datetime with its UTC offset, parsed as the release files are."""

    def __init__(self, date_only: bool = False):
        self.date_only = date_only
        self.name = "YYYY-MM-DD" if date_only else "ISO-DATETIME"

    def convert(self, value, param, ctx):
        if isinstance(value, dt.date):
            return value
        try:
            parsed = dateline.parse(value, require_offset=not self.date_only)
        except dateline.DateError as exc:
            self.fail(str(exc), param, ctx)
        if self.date_only and isinstance(parsed, dt.datetime):
            self.fail(f"'{value}': give a date only, such as 2024-03-12", param, ctx)
        return parsed


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'s' if count != 1 else ''}"


def _report(reporter, quiet: bool = False) -> None:
    for diagnostic in reporter.sorted():
        if not (quiet and diagnostic.severity == "warning"):
            click.echo(str(diagnostic), err=True)


def _check_base_url(base_url: str | None) -> None:
    from presskit.text.urls import UrlError, check

    if base_url:
        try:
            check(base_url)
        except UrlError as exc:
            raise click.BadParameter(str(exc), param_hint="--base-url") from None


def _project_option(function):
    return click.option(
        "--project",
        type=click.Path(file_okay=False, exists=True, path_type=Path),
        default=".",
        show_default=True,
        help="Project folder.",
    )(function)


def _build_options(function):
    for option in reversed(
        (
            click.option(
                "--out", "out", type=click.Path(file_okay=False, path_type=Path), help="Output folder (default: out/)."
            ),
            click.option("--drafts", is_flag=True, help="Also build releases marked draft: true."),
            click.option("--now", type=_When(), help="The moment at which embargoes are judged (default: now)."),
            click.option("--base-url", help="Absolute URL where the newsroom is published (overrides the config)."),
            click.option(
                "-j", "--jobs", type=click.IntRange(min=1), help="Rendering processes (default: the number of cores)."
            ),
            click.option("-q", "--quiet", is_flag=True, help="Print errors only: no progress, warnings or summary."),
            click.option("-v", "--verbose", is_flag=True, help="Print every release, rendered or unchanged."),
        )
    ):
        function = option(function)
    return _project_option(function)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="presskit")
def main() -> None:
    """presskit: press releases written in YAML, published as PDF, DOCX, HTML and RSS."""


@main.command()
@click.option(
    "--embargoed",
    type=click.Path(file_okay=False, path_type=Path),
    help="Also write private copies of embargoed releases, marked EMBARGO, into this folder.",
)
@click.option(
    "--verify",
    is_flag=True,
    help="Rebuild into a temporary folder and report every file of out/ that differs; out/ is not changed.",
)
@click.option(
    "--no-wait", is_flag=True, help="When another build of this output is running, exit at once instead of waiting."
)
@click.option("--ping", is_flag=True, help="Tell the WebSub hub (websub_hub) which feeds changed, once published.")
@_build_options
def build(embargoed, verify, no_wait, ping, out, drafts, now, base_url, jobs, quiet, verbose, project: Path) -> None:
    """Render every release to PDF, DOCX and HTML, with the newsroom index and feeds, into out/.

    Only releases whose sources, templates or configuration changed are rendered again."""
    from presskit.build import warmstart

    if not verify:  # first, before the imports below: the workers' imports overlap everything until rendering
        warmstart.for_first_build(out or project / "out", jobs)
    from presskit.build import progress
    from presskit.build.pipeline import BuildOptions
    from presskit.build.pipeline import build as run_build

    _check_base_url(base_url)
    options = BuildOptions(
        root=project, out=out, drafts=drafts, now=now, base_url=base_url, jobs=jobs, wait=not no_wait
    )
    if verify:  # a check never writes the private embargo copies
        _verify(options, quiet)
        return
    options = dataclasses.replace(options, embargoed=embargoed)
    result = run_build(options, progress.for_terminal(quiet, verbose), waiting=_waiting)
    _stop_if_not_built(result)
    _report(result.reporter, quiet)
    if ping:  # a hub that fails is a warning, never an error: the newsroom is already published
        from presskit.commands import websub

        for warning in websub.after_build(result):
            click.echo(f"presskit: warning: {warning}.", err=True)
    if not result.ok:
        count = len(result.reporter.errors)
        if result.newsroom_changed:
            verdict = f"the newsroom was published in {out or 'out'}, but the embargoed copies were not written"
        else:
            verdict = "the output folder was left as it was"
        click.echo(f"presskit: {_plural(count, 'error')}; {verdict}.", err=True)
        sys.exit(1)
    if not quiet:
        held = f", {len(result.held)} held back (embargo or draft)" if result.held else ""
        warnings = f", {_plural(len(result.reporter.warnings), 'warning')}" if result.reporter.warnings else ""
        click.echo(
            f"presskit: built {_plural(len(result.published), 'release')} "
            f"({len(result.rendered)} rendered, {len(result.reused)} unchanged){held}{warnings}."
        )
        if embargoed is not None:
            click.echo(
                f"presskit: {_plural(len(result.embargoed), 'embargoed release')} written to {embargoed} (private: not for publication)."
            )


def _configuration(project: Path):
    """The project's configuration and its reporter; on a configuration error, report it and exit 1."""
    from presskit import config as project_config
    from presskit.diagnostics import Reporter

    reporter = Reporter(project.resolve())
    config = project_config.load(project.resolve(), reporter)
    if reporter.errors:
        _report(reporter)
        sys.exit(1)
    return config, reporter


def _waiting(pid: int | None) -> None:
    who = f" (pid {pid})" if pid else ""
    click.echo(f"presskit: waiting for another build of this project{who}...", err=True)


def _stop_if_not_built(result) -> None:
    """Exit when the build did not start: an output folder refused (2), or another build running (1)."""
    if result.refused:
        click.echo(f"presskit: {result.refused}; nothing was written.", err=True)
        sys.exit(2)
    if result.busy:
        who = f" (pid {result.holder})" if result.holder else ""
        click.echo(f"presskit: another build of this project is running{who}; nothing was done.", err=True)
        sys.exit(1)


def _verify(options, quiet: bool) -> None:
    from presskit.commands.verify import verify

    result, compared = verify(options)
    _report(result.reporter, quiet=True)  # the differences, not the sources' editorial warnings
    if not result.ok:
        count = len(result.reporter.errors)
        verdict = "out/ does not match the sources" if compared else "the sources do not build; nothing was compared"
        click.echo(f"presskit: {_plural(count, 'error')}; {verdict}.", err=True)
        sys.exit(1)
    click.echo(f"presskit: out/ matches a fresh build of the sources ({compared} files).")


@main.command()
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
@click.option("--now", type=_When(), help="The moment against which dates are judged (default: now).")
@_project_option
def check(strict: bool, now, project: Path) -> None:
    """Validate every release without rendering anything; report every error and warning."""
    from presskit.build.pipeline import BuildOptions
    from presskit.build.pipeline import check as run_check
    from presskit.sources import checks

    result = run_check(BuildOptions(root=project, now=now))
    if strict:
        result.reporter.items = checks.as_errors(result.reporter.items)
    _report(result.reporter)
    errors, warnings = len(result.reporter.errors), len(result.reporter.warnings)
    click.echo(
        f"presskit: {_plural(result.checked, 'valid release')}, {_plural(errors, 'error')}, {_plural(warnings, 'warning')}.",
        err=True,
    )
    sys.exit(1 if errors else 0)


@main.command()
@click.argument("headline")
@click.option("--lang", help="Language of the release (default: the project's).")
@click.option(
    "--date",
    "date",
    type=_When(date_only=True),
    help="Date of the release (default: today in the project's time zone).",
)
@_project_option
def new(headline: str, lang: str | None, date, project: Path) -> None:
    """Start a release: writes releases/<date>-<slug>.yaml with every field, ready to fill in."""
    from presskit import config as project_config
    from presskit.commands import new as newrelease
    from presskit.sources.releases import LANG
    from presskit.sources.yamlreader import SourceError, decode

    try:
        decode(headline.encode("utf-8", "surrogatepass"))
    except SourceError as exc:
        raise click.BadParameter(exc.message, param_hint="HEADLINE") from None
    if not headline.strip():
        raise click.BadParameter("the headline is empty", param_hint="HEADLINE")
    if lang is not None and not LANG.match(lang):
        raise click.BadParameter(f"'{lang}' is not a language tag such as fr, en or pt-BR", param_hint="--lang")
    config, reporter = _configuration(project)
    date = date or dt.datetime.now(project_config.timezone(config)).date()
    try:
        path = newrelease.create(config, headline, date, lang or config.lang)
    except newrelease.ReleaseExists as exc:
        click.echo(f"presskit: {reporter.display_path(exc.args[0])} already exists; it was not overwritten.", err=True)
        sys.exit(1)
    except OSError as exc:
        click.echo(f"presskit: cannot write the new release: {exc}", err=True)
        sys.exit(1)
    click.echo(reporter.display_path(path))


@main.command()
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=8000,
    show_default=True,
    help="Port on 127.0.0.1 (0: any free port).",
)
@_build_options
def serve(port: int, out, drafts, now, base_url, jobs, quiet, verbose, project: Path) -> None:
    """Build, serve the newsroom on 127.0.0.1, and rebuild and reload the page whenever a source changes."""
    from presskit.build.pipeline import BuildOptions
    from presskit.commands import serve as preview

    _check_base_url(base_url)
    options = BuildOptions(root=project, out=out, drafts=drafts, now=now, base_url=base_url, jobs=jobs)
    try:
        preview.run(options, port, quiet=quiet, verbose=verbose, echo=click.echo)
    except preview.ServeError as exc:
        click.echo(f"presskit: {exc}", err=True)
        sys.exit(1)


@main.group()
def theme() -> None:
    """The built-in theme: templates, CSS and Word reference document."""


@theme.command("export", short_help="Copy the built-in theme into templates/, to edit it.")
@_project_option
def theme_export(project: Path) -> None:
    """Copy the built-in theme into templates/ to edit it: templates, CSS and the Word reference document.

    A file already in the templates folder is never overwritten: it is listed, and the command exits 1."""
    from presskit.commands import theme as builtin_theme

    config, reporter = _configuration(project)
    try:
        result = builtin_theme.export(config)
    except builtin_theme.ThemeFolderError as exc:
        click.echo(f"presskit: {exc}; nothing was written.", err=True)
        sys.exit(1)
    except OSError as exc:
        click.echo(f"presskit: cannot write the theme: {exc}", err=True)
        sys.exit(1)
    for path in result.written:
        click.echo(reporter.display_path(path))
    for path in result.skipped:
        click.echo(f"presskit: {reporter.display_path(path)} already exists; it was not overwritten.", err=True)
    if result.skipped:
        click.echo(
            f"presskit: {_plural(len(result.written), 'file')} written, {len(result.skipped)} left as they were.",
            err=True,
        )
        sys.exit(1)


@main.command()
@click.argument("slug")
@click.option("--list", "lists", multiple=True, help="A press list: lists/NAME.csv (repeat for several).")
@click.option("--now", type=_When(), help="The moment at which the embargo is judged (default: now).")
@click.option(
    "--dry-run", type=click.Path(file_okay=False, path_type=Path), help="Write .eml files here; send nothing."
)
@click.option("--correction", is_flag=True, help="Send the corrected release to those who got an earlier version.")
@click.option("--yes", is_flag=True, help="Send without asking (required when not on a terminal).")
@click.option("--retry-failed", is_flag=True, help="Try again the recipients whose server refused an earlier message.")
@click.option("-q", "--quiet", is_flag=True, help="Print errors and the last line only: no progress, no warnings.")
@_project_option
def send(slug, lists, now, dry_run, correction, yes, retry_failed, quiet, project: Path) -> None:
    """Send a release by e-mail, one message per journalist of the press lists, each exactly once."""
    import os

    from presskit.build import progress
    from presskit.commands import send as sending
    from presskit.diagnostics import Reporter

    if not lists and not correction:
        raise click.UsageError("give at least one press list with --list NAME")
    reporter = Reporter(project.resolve())
    options = sending.SendOptions(
        project, slug, tuple(lists), now, dry_run, correction, dict(os.environ), retry_failed=retry_failed
    )
    try:
        plan = sending.prepare(options, reporter)
        _report(reporter, quiet)
        if plan is None:
            click.echo(f"presskit: {_plural(len(reporter.errors), 'error')}; nothing was sent.", err=True)
            sys.exit(1)
        if dry_run is not None:
            written = sending.dry_run(plan, dry_run)
            click.echo(f"presskit: {_plural(len(written), 'message')} written to {dry_run}; nothing was sent.")
            return
        refused = f", {plan.refused} refused before (--retry-failed to try them again)" if plan.refused else ""
        line = f"presskit: {len(plan.items)} to send, {plan.already} already sent{refused}, {plan.skipped} skipped."
        if not quiet or not plan.items:
            click.echo(line)
        if not plan.items:
            return
        if not yes:
            if not sys.stdin.isatty():
                click.echo("presskit: not on a terminal: add --yes to send; nothing was sent.", err=True)
                sys.exit(2)
            state = "EMBARGOED" if plan.embargoed else "not embargoed"
            question = f"Send '{plan.subject}' ({state}) to {len(plan.items)} recipients of {', '.join(lists)}?"
            if not click.confirm(question):
                sys.exit(1)
        display = progress.for_terminal(quiet, False, words=progress.SEND)
        display.start(len(plan.items), plan.already)
        try:
            result = sending.deliver(
                plan, lambda item, outcome: display.rendered(item.recipient.email, outcome.accepted)
            )
        finally:
            display.finish()
    except sending.SendError as exc:
        click.echo(f"presskit: {exc}", err=True)
        sys.exit(1)
    for where, reply in result.failures:
        click.echo(f"{where}: refused by the server: {reply}", err=True)
    skipped = plan.skipped + plan.already + plan.refused
    click.echo(f"presskit: sent {result.sent}, failed {len(result.failures)}, skipped {skipped}.")
    sys.exit(1 if result.failures else 0)


@main.command()
@click.argument("slug", required=False)
@_project_option
def sends(slug, project: Path) -> None:
    """The log of sends: per release and version, how many were sent, failed or pending, and the failures."""
    from presskit.commands.send import log

    lines = log(project, slug)
    for line in lines:
        click.echo(line)
    if not lines:
        click.echo(f"presskit: nothing has been sent{f' of {slug}' if slug else ''} yet.")
