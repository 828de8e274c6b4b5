"""The `validate` command: a thin click layer over the engine and the writers.

Exit status (CONTRACT.md): 0 nothing at or above --fail-on; 1 something was; 2 the tool
could not do its job (missing or unreadable file, bad option, bad config or schema).
"""

from __future__ import annotations

import os
import sys
from datetime import datetime, timezone
from pathlib import Path

import click

from validate import __version__

FORMATS = ("text", "json", "sarif", "github")
FAIL_ON = ("error", "warning", "info", "never")


def _split(values: tuple[str, ...]) -> list[str]:
    return [item.strip() for value in values for item in value.split(",") if item.strip()]


def _fail(message: str) -> None:
    from validate.writers.text import one_line

    click.echo(f"validate: error: {one_line(message)}", err=True)
    sys.exit(2)


class _Command(click.Command):
    """The command, with the exits CONTRACT.md promises whatever happens inside: an
    interrupt is status 2 (1 would mean "findings"), and no error ends in a traceback."""

    def invoke(self, ctx):
        from validate.errors import UserError

        previous = _catch_termination()
        for stream in (sys.stdout, sys.stderr):
            # A file name that is not UTF-8 is text with lone surrogates: print them as
            # `\udcff` (as the report files do), whatever the locale's error handler.
            try:
                stream.reconfigure(errors="backslashreplace")
            except (AttributeError, ValueError, OSError):
                pass
        try:
            return super().invoke(ctx)
        except KeyboardInterrupt:
            click.echo("validate: interrupted", err=True)
            sys.exit(2)
        except (click.exceptions.ClickException, click.exceptions.Exit, click.exceptions.Abort):
            raise  # click reports these itself (usage errors: status 2)
        except UserError as exc:
            _fail(str(exc))
        except (RecursionError, MemoryError) as exc:
            _fail(f"input too large or too deeply nested to check ({type(exc).__name__})")
        except Exception as exc:
            if os.environ.get("VALIDATE_DEBUG"):
                raise
            text = str(exc).splitlines()[0][:200] if str(exc) else ""
            _fail(f"internal error: {type(exc).__name__}: {text} "
                  "(please report it; VALIDATE_DEBUG=1 shows the traceback)")
        finally:
            _restore_termination(previous)


def _catch_termination():
    """SIGTERM (and SIGHUP) end the run as Ctrl-C does: temporary files are removed and the
    reports already written stay whole. Worker processes forked meanwhile leave it to the
    parent: a worker ignores SIGINT and exits at once on SIGTERM (Pool.terminate)."""
    import signal

    main_pid = os.getpid()

    def on_signal(number, frame):
        if os.getpid() != main_pid:
            if number != signal.SIGINT:
                os._exit(128 + number)
            return
        raise KeyboardInterrupt

    previous = {}
    try:
        for name in ("SIGINT", "SIGTERM", "SIGHUP"):
            if hasattr(signal, name):
                number = getattr(signal, name)
                previous[number] = signal.signal(number, on_signal)
    except ValueError:  # not the main thread: leave signals alone
        pass
    return previous


def _restore_termination(previous) -> None:
    import signal

    for number, handler in previous.items():
        signal.signal(number, handler)


@click.command(cls=_Command,
               context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
# readable=False: an unreadable file is reported with the others checked, not a usage error.
@click.argument("paths", nargs=-1, type=click.Path(dir_okay=True, readable=False, path_type=str))
@click.option("--out", "out_dir", metavar="DIR",
              help="Where reports are written (default: [tool.validate] out, else reports/).")
@click.option("--no-write", is_flag=True, help="Write no report files.")
@click.option("--reports", "report_kinds", metavar="KINDS",
              help="Which report files to write: json, html, csv, comma-separated (default: all).")
@click.option("--format", "output_format", type=click.Choice(FORMATS), default="text",
              show_default=True, help="What goes to standard output.")
@click.option("--cells", is_flag=True,
              help="Text output: one line per finding (per cell) instead of one per problem.")
@click.option("--fail-on", type=click.Choice(FAIL_ON), default=None,
              help="Lowest severity that makes the exit status 1 (default: error).")
@click.option("--select", multiple=True, metavar="RULES",
              help="Run only these rules: codes, prefixes (D), names or categories; comma-separated.")
@click.option("--ignore", multiple=True, metavar="RULES", help="Skip these rules.")
@click.option("--schemas", "schema_dirs", multiple=True, metavar="DIR",
              type=click.Path(file_okay=False, path_type=str),
              help="Another directory of schema files (repeatable).")
@click.option("--config", "config_file", type=click.Path(dir_okay=False, path_type=Path),
              help="Read [tool.validate] from this file instead of the nearest pyproject.toml.")
@click.option("--no-timestamp", is_flag=True, help="Leave the time out of the HTML report.")
@click.option("--hook", is_flag=True,
              help="Pre-commit mode: write no reports, print only warnings, errors and a summary, "
                   "apply `exclude` to the files given.")
@click.option("--fix/--no-fix", default=False,
              help="Rewrite what is safe (number style, unit spelling, spacing); exit 1 if a file changed.")
@click.option("--diff", is_flag=True, help="Show what --fix would change, change nothing.")
@click.option("--no-cache", is_flag=True,
              help="Check everything again, even when the pages, configuration and tool are those "
                   "of a run already cached (.validate_cache/).")
@click.option("--since", metavar="REF",
              help="Compare each page with its version at git revision REF: report what changed "
                   "and judge the edit (the hook compares with the last commit by itself).")
@click.option("--only-changed", is_flag=True,
              help="Report only findings on rows changed since REF (pages that carry old debt).")
@click.option("--baseline", "baseline_file", metavar="FILE",
              help="Report only findings not recorded in this baseline.")
@click.option("--write-baseline", "write_baseline_file", metavar="FILE",
              help="Record today's findings as the accepted baseline and exit.")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None,
              help="Processes for the typed checks of many files (default: the number of cores).")
@click.option("--export-tables", "export_dir", metavar="DIR",
              help="Also write every table of the files as CSV (with source positions) to DIR.")
@click.option("--infer-schema", "infer_file", metavar="FILE",
              help="Print a draft schema file for the tables of FILE and exit.")
@click.option("--list-rules", is_flag=True, help="List every rule and exit.")
@click.option("--explain", metavar="CODE", help="Print one rule's documentation and exit.")
@click.version_option(__version__, "-V", "--version", prog_name="validate")
def main(paths, out_dir, no_write, report_kinds, output_format, cells, fail_on, select, ignore, schema_dirs,
         config_file, no_timestamp, hook, fix, diff, no_cache, since, only_changed, baseline_file, write_baseline_file,
         jobs, export_dir, infer_file, list_rules, explain):
    """Check the markdown tables in PATHS (files, directories or globs).

    With no PATHS, checks the `paths` of [tool.validate] in the nearest pyproject.toml.
    Prints one line per anomaly (path:line:col: severity CODE message) and writes
    anomalies.json, anomalies.html and one cleaned CSV per table kind to the out directory.
    """
    if list_rules:
        from validate.catalogue import render_rule_list

        click.echo(render_rule_list(), nl=False)
        return
    if explain:
        from validate.catalogue import render_rule_doc
        from validate.rules import lookup

        rule = lookup(explain)
        if rule is None:
            _fail(f"no rule {explain!r} (see validate --list-rules)")
        click.echo(render_rule_doc(rule), nl=False)
        return

    from validate.config import load_settings, resolve_config_path
    from validate.errors import UserError

    if infer_file:
        _infer(infer_file, list(schema_dirs))
        return

    try:
        settings = load_settings(config_file=config_file)
        if select:
            settings.select = _split(select)
        if ignore:
            settings.ignore = _split(ignore)
        if fail_on:
            settings.fail_on = fail_on
        if not paths:
            if not settings.paths:
                _fail("no files given, and no `paths` in [tool.validate] of a pyproject.toml")
            paths = tuple(resolve_config_path(settings, p) for p in settings.paths)
        directories = [resolve_config_path(settings, d) for d in settings.schema_dirs]
        directories += list(schema_dirs)
        for directory in directories:
            if not Path(directory).is_dir():
                _fail(f"{directory}: schema directory not found")
        files, references = _pages(list(paths), settings, hook)
        out = out_dir or resolve_config_path(settings, settings.out)
        kinds = set(_split((report_kinds,))) if report_kinds else {"json", "html", "csv"}
        if kinds - {"json", "html", "csv"}:
            _fail(f"--reports: unknown kind {', '.join(sorted(kinds - {'json', 'html', 'csv'}))} "
                  "(use json, html, csv)")
        cache_key = None
        if not (no_cache or fix or diff or since or hook or only_changed or baseline_file
                or write_baseline_file or export_dir):
            cache_key = _replay_or_key(settings, directories, files, references, out, kinds,
                                       dict(format=output_format, cells=cells, no_write=no_write,
                                            no_timestamp=no_timestamp))
        checker = _checker(settings, directories)
        jobs = jobs or os.cpu_count() or 1
        if only_changed and since is None and not hook:
            _fail("--only-changed needs --since REF (the revision the changes are counted from)")
        previous = _previous_versions(files, since, hook)
        report = _check(checker, files, references, jobs, previous, only_changed)
        if write_baseline_file:
            from validate.baseline import render_baseline
            from validate.writers import regular_target_problem, write_atomic

            target = Path(write_baseline_file)
            problem = regular_target_problem(target)
            if problem:
                _fail(f"{write_baseline_file}: cannot write the baseline: it {problem}")
            try:
                write_atomic(target, render_baseline(report))
            except OSError as exc:
                _fail(f"{write_baseline_file}: cannot write the baseline: {exc.strerror or exc}")
            click.echo(f"Recorded {len(report.findings)} findings in {write_baseline_file}.")
            sys.exit(2 if report.failed_files else 0)
        baseline = None
        if baseline_file:
            from validate.baseline import apply_baseline, load_baseline

            baseline = load_baseline(baseline_file)
            apply_baseline(report, baseline)
    except UserError as exc:
        _fail(str(exc))
        return

    changed, unfixed = [], []
    if fix or diff:
        changed, unfixed = _fix(report, write=fix and not diff, show_diff=diff)
        if diff:
            sys.exit(1 if changed else (2 if report.failed_files or unfixed else 0))
        if changed:
            # Report what is left after the fixes, as the files now stand.
            report = _check(checker, files, references, jobs, previous, only_changed)
            if baseline is not None:
                from validate.baseline import apply_baseline

                apply_baseline(report, baseline)
    _emit(report, output_format, quiet=hook, cells=cells)
    if export_dir:
        from validate.writers.tables_export import export_tables

        try:
            written = export_tables(report, Path(export_dir))
        except (OSError, ValueError) as exc:
            _fail(f"{export_dir}: cannot write tables: {getattr(exc, 'strerror', None) or exc}")
        click.echo(f"Exported {len(written)} table{'s' if len(written) != 1 else ''} to {export_dir}.",
                   err=True)
    written: dict[str, str] = {}
    if not (no_write or hook):
        try:
            written = _write_reports(report, Path(out), settings, no_timestamp, kinds)
        except OSError as exc:
            _fail(f"{out}: cannot write reports: {exc.strerror or exc}")
    if unfixed:
        sys.exit(2)  # --fix could not do its job for these files
    if changed and not report.failed_files:
        sys.exit(1)
    status = _exit_status(report, settings.fail_on)
    if cache_key is not None and _RECORDER is not None and status in (0, 1):
        from validate.cache import Entry, save

        _RECORDER.__exit__(None, None, None)
        save(settings.root, cache_key, Entry(stdout=_RECORDER.stdout.getvalue(),
                                             stderr=_RECORDER.stderr.getvalue(),
                                             status=status, reports=written, out=str(out)))
    sys.exit(status)


def _infer(path: str, directories: list[str]) -> None:
    """Print draft schema files for the tables of one page."""
    from validate.infer import infer_schema, render_schema_yaml, field_name
    from validate.reader import parse_markdown
    from validate.schema import builtin_schema_dir, load_reference
    from validate.sources import read_source

    source = read_source(path)
    if source.error:
        _fail(f"{path}: {source.error}")
    tables = parse_markdown(source.text).tables
    if not tables:
        _fail(f"{path}: no table found to infer a schema from")
    reference = load_reference([builtin_schema_dir()] + [Path(d) for d in directories])
    stem = field_name(Path(path).name.split(".")[0], set())
    drafts = []
    for table in tables:
        name = stem if len(tables) == 1 else f"{stem}_{table.index}"
        drafts.append(render_schema_yaml(infer_schema(table, reference, name), path, table))
    if len(drafts) > 1:
        click.echo(f"# {len(drafts)} tables in {path}: one draft each; save each as its own "
                   "file in schemas/.")
    click.echo("---\n".join(drafts), nl=False)


def _pages(paths, settings, hook: bool):
    """The pages to check, and their other language versions to read beside them."""
    from validate.pairing import PairingRules, reference_paths
    from validate.sources import expand_paths

    pairing = PairingRules.from_config(settings.pairing, f"{settings.source or 'config'}: "
                                                          "[tool.validate.pairing]")
    # pre-commit passes file names itself: `exclude` must still apply to them (hook mode).
    files = expand_paths(paths, settings.exclude, settings.root, exclude_explicit=hook)
    return files, reference_paths(files, pairing)


def _checker(settings, directories):
    from validate.engine import Checker

    return Checker(settings, directories)


# The copy of what a run prints, while a run that may be cached is under way.
_RECORDER = None


def _replay_or_key(settings, directories, files, references, out, kinds, options) -> str | None:
    """Replay the cached run with these inputs and exit, or start recording this run and
    return its cache key (None: this run cannot be cached)."""
    global _RECORDER
    import dataclasses

    from validate.cache import Recorder, disabled, load, run_key
    from validate.schema import builtin_schema_dir

    if disabled():
        return None
    material = {**options, "settings": dataclasses.asdict(settings), "out": str(out),
                "kinds": sorted(kinds), "references": references, "pages": files}
    key = run_key(material, files + references, [builtin_schema_dir(), *map(Path, directories)])
    if key is None:
        return None
    entry = load(settings.root, key)
    if entry is not None:
        if entry.stderr:
            click.echo(entry.stderr, err=True, nl=False)
        click.echo(entry.stdout, nl=False)
        if entry.reports:
            try:
                _write_set(Path(out), entry.reports)
            except OSError as exc:
                _fail(f"{out}: cannot write reports: {exc.strerror or exc}")
        sys.exit(entry.status)
    _RECORDER = Recorder().__enter__()
    return key


def _check(checker, files, references, jobs: int = 1, previous=None, only_changed=False):
    from validate.sources import read_source

    with _progress(files) as progress:
        return checker.run((read_source(path) for path in files),
                           (read_source(path) for path in references), jobs=jobs,
                           progress=progress, previous=previous, only_changed=only_changed)


def _previous_versions(files: list[str], since: str | None, hook: bool) -> dict | None:
    """Each page at the revision to compare with: `--since REF`, or in the hook the last commit
    (when the page is in a git repository; a repository without commits has every row new)."""
    import os

    from validate.history import HistoryError, Previous, previous_version, repository_of

    if since is None and not hook:
        return None
    found = {}
    for path in files:
        if not os.path.isfile(path):
            continue                    # reading it reports the error
        if since is not None:
            found[path] = previous_version(path, since)   # HistoryError: a clear line, exit 2
            continue
        if repository_of(path) is None:
            continue
        try:
            found[path] = previous_version(path, "HEAD")
        except HistoryError:
            found[path] = Previous(ref="HEAD", text=None, absent=True)
    return found


class _progress:
    """A progress bar on standard error, for long runs seen in a terminal; otherwise nothing.

    Long means many files, or files big enough (a few MB) to hold tables of 100,000s of rows.
    """

    MANY_FILES = 20
    BIG_BYTES = 2_000_000

    def __init__(self, files: list[str]):
        self.bar = None
        if not sys.stderr.isatty() or not files:
            return
        size = 0
        for path in files:
            try:
                size += os.path.getsize(path)
            except OSError:
                pass
        if len(files) > self.MANY_FILES or size > self.BIG_BYTES:
            self.bar = click.progressbar(length=len(files), label="Checking", file=sys.stderr,
                                         show_pos=True, item_show_func=lambda p: p)

    def __enter__(self):
        if self.bar is None:
            return None
        self.bar.__enter__()
        return lambda path: self.bar.update(1, path)

    def __exit__(self, *exc):
        if self.bar is not None:
            self.bar.__exit__(*exc)
        return False


def _fix(report, write: bool, show_diff: bool) -> tuple[list[str], list[str]]:
    """Apply (or show) the safe fixes of `report`; returns the files that change, and those
    that could not be fixed (each reported on one line; the others are still fixed)."""
    from validate.fixer import FixError, edits_by_file, fix_file
    from validate.writers.text import one_line

    changed, unfixed, cells = [], [], 0
    for path, edits in sorted(edits_by_file(report.findings).items()):
        try:
            result = fix_file(path, edits, write=write)
        except FixError as exc:
            click.echo(f"{one_line(path)}: error: {exc.reason}", err=True)
            unfixed.append(path)
            continue
        if result.changed:
            changed.append(path)
            cells += result.applied
            if show_diff:
                click.echo(result.diff(), nl=False)
    if changed:
        verb = "Fixed" if write else "Would fix"
        click.echo(f"{verb} {cells} cell{'s' if cells != 1 else ''} in {len(changed)} "
                   f"file{'s' if len(changed) != 1 else ''}.", err=not show_diff)
    return changed, unfixed


# Up to this many files, each one without a table gets its own line; beyond, one line counts them.
_NOTED_ONE_BY_ONE = 10


def _emit(report, output_format: str, quiet: bool = False, cells: bool = False) -> None:
    from validate.writers.text import one_line

    for result in report.files:
        if result.error:
            click.echo(f"{one_line(result.path)}: error: {result.error}", err=True)
    empty = [r.path for r in report.files if not r.error and not r.tables]
    if empty and not quiet:
        if len(report.files) <= _NOTED_ONE_BY_ONE:
            for path in empty:
                click.echo(f"{one_line(path)}: no table found", err=True)
        else:
            click.echo(f"{len(empty)} of {len(report.files)} files have no table", err=True)
    if output_format == "json":
        from validate.writers.json_report import render_json

        click.echo(render_json(report), nl=False)
    elif output_format == "sarif":
        from validate.writers.sarif import render_sarif

        click.echo(render_sarif(report), nl=False)
    elif output_format == "github":
        from validate.writers.github import render_github

        click.echo(render_github(report), nl=False)
    else:
        from validate.writers.text import render_text

        click.echo(render_text(report, minimum="warning" if quiet else "info", cells=cells), nl=False)


def _stamp() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")


def _write_reports(report, out: Path, settings, no_timestamp: bool, kinds: set[str]) -> dict[str, str]:
    """Write the reports as one set: the out directory never mixes two runs' files, and a
    CSV an earlier run wrote for a table kind this run did not see is removed. Returns the
    texts written (the HTML's time stamp as cache.STAMP), for the run cache."""
    from validate.cache import STAMP

    texts: dict[str, str] = {}
    if "json" in kinds:
        from validate.writers.json_report import render_json

        texts["anomalies.json"] = render_json(report)
    if "html" in kinds:
        from validate.writers.html_report import render_html

        texts["anomalies.html"] = render_html(report, None if no_timestamp else STAMP, settings.link)
    if "csv" in kinds:
        from validate.writers.csv_data import matched_schemas, render_schema_csv

        for schema in matched_schemas(report):
            texts[f"{schema.name}.csv"] = render_schema_csv(report, schema)
    _write_set(out, texts)
    return texts


def _write_set(out: Path, texts: dict[str, str]) -> None:
    from validate.cache import STAMP
    from validate.writers import ReportSet

    stamp = _stamp()
    with ReportSet(out) as reports:
        for name, text in texts.items():
            reports.add(name, text.replace(STAMP, stamp))
        reports.commit()


def _exit_status(report, fail_on: str) -> int:
    from validate.findings import at_or_above

    if report.failed_files or report.internal_errors:
        return 2
    if any(at_or_above(f.severity, fail_on) for f in report.findings):
        return 1
    return 0
