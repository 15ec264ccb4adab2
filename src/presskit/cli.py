"""The `presskit` command line: the only place that prints diagnostics and chooses exit codes."""

from __future__ import annotations

import dataclasses
import datetime as dt
import sys
from pathlib import Path

import click

from presskit import __version__, dateline


class _DateTime(click.ParamType):
    name = "ISO-DATETIME"

    def convert(self, value, param, ctx):
        if isinstance(value, dt.datetime):
            return value
        try:
            parsed = dateline.parse(value, require_offset=True)
        except dateline.DateError as exc:
            self.fail(str(exc), param, ctx)
        return parsed


def _report(result) -> None:
    for diagnostic in result.reporter.sorted():
        click.echo(str(diagnostic), err=True)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="presskit")
def main() -> None:
    """presskit: press releases written in YAML, published as PDF, DOCX, HTML and RSS."""


@main.command()
@click.option("--out", "out", type=click.Path(file_okay=False, path_type=Path), help="Output folder (default: out/).")
@click.option("--drafts", is_flag=True, help="Also build releases marked draft: true.")
@click.option("--now", type=_DateTime(), help="The moment at which embargoes are judged (default: now).")
@click.option("--base-url", help="Absolute URL where the newsroom is published (overrides the config).")
@click.option("--embargoed", type=click.Path(file_okay=False, path_type=Path), help="Also write private copies of embargoed releases, marked EMBARGO, into this folder.")
@click.option("--project", type=click.Path(file_okay=False, exists=True, path_type=Path), default=".", show_default=True, help="Project folder.")
@click.option("--verify", is_flag=True, help="Rebuild into a temporary folder and report every file of out/ that differs; out/ is not changed.")
def build(out: Path | None, drafts: bool, now: dt.datetime | None, base_url: str | None, embargoed: Path | None, project: Path, verify: bool) -> None:
    """Render every release to PDF, DOCX and HTML, with the newsroom index and RSS feed, into out/."""
    from presskit.build import BuildOptions
    from presskit.build import build as run_build
    from presskit.urls import UrlError, check

    if base_url:
        try:
            check(base_url)
        except UrlError as exc:
            raise click.BadParameter(str(exc), param_hint="--base-url") from None
    options = BuildOptions(root=project, out=out, drafts=drafts, now=now, base_url=base_url)
    if verify:  # a check never writes the private embargo copies
        _verify(options)
        return
    result = run_build(dataclasses.replace(options, embargoed=embargoed))
    _report(result)
    if not result.ok:
        count = len(result.reporter.errors)
        click.echo(f"presskit: {count} error{'s' if count != 1 else ''}; the output folder was left as it was.", err=True)
        sys.exit(1)
    held = f", {len(result.held)} held back (embargo or draft)" if result.held else ""
    click.echo(f"presskit: built {len(result.published)} release{'s' if len(result.published) != 1 else ''}{held}.")
    if embargoed is not None:
        click.echo(f"presskit: {len(result.embargoed)} embargoed release{'s' if len(result.embargoed) != 1 else ''} written to {embargoed} (private: not for publication).")


def _verify(options) -> None:
    from presskit.verify import verify

    result, compared = verify(options)
    _report(result)
    if not result.ok:
        count = len(result.reporter.errors)
        verdict = "out/ does not match the sources" if compared else "the sources do not build; nothing was compared"
        click.echo(f"presskit: {count} error{'s' if count != 1 else ''}; {verdict}.", err=True)
        sys.exit(1)
    click.echo(f"presskit: out/ matches a fresh build of the sources ({compared} files).")
