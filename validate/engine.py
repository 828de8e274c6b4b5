"""The one-way pipeline: paths -> documents -> tables -> typed frames -> findings -> report.

Nothing here prints or writes files; the CLI renders the Report. pandas and pandera are
imported only when a table matches a schema (a page without tables never loads them).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Iterable

from validate import __version__
from validate.config import Settings
from validate.errors import ConfigError
from validate.findings import CATEGORIES, FileEdit, Finding, Hit
from validate.headers import HeaderMatch, match_table
from validate.infer import INFERRED, INFERRED_DISABLED, INFERRED_RULE_OPTIONS, infer_schema
from validate.memory import BIG_TABLE_CELLS, release_free_memory
from validate.pairing import PairingRules, find_pairs, reference_paths
from validate.reader import Table, parse_markdown
from validate.rules import ALL_RULES, lookup
from validate.rules.base import Options, Rule, TableContext
from validate.rules.structure import internal_error, unused_suppression
from validate.schema import (
    Reference,
    TableSchema,
    builtin_schema_dir,
    load_reference,
    load_schemas,
)
from validate.sources import SourceFile, read_source
from validate.suppressions import Suppression, collect, matches

TOOL_NAME = "validate"
PARALLEL_MIN_FILES = 4
# Typing costs a pandas column and a pandera check per column and rule: a table without a
# schema wider than this (a data dump, not a hand-kept benchmark) is checked for structure only.
MAX_INFERRED_COLUMNS = 256
# A page with at least this many tables of one kind and header checks them as one stack, each
# of at most STACK_MAX_ROWS rows (a big table gains nothing from company).
STACK_MIN_TABLES = 4
STACK_MAX_ROWS = 1000


@dataclass
class TableResult:
    table: Table
    match: HeaderMatch        # the schema the header matched, or why none did
    parsed: Any = None        # validate.frames.ParsedTable once typed
    # A table that matches no schema is typed with a schema inferred from its cells, so the
    # format checks run on it too; its findings name no field (none is canonical).
    inferred: TableSchema | None = None

    @property
    def typed_match(self) -> HeaderMatch:
        """The header mapping its typed frames use (the inferred schema's, if any)."""
        return self.parsed.match if self.parsed is not None else self.match


@dataclass
class FileResult:
    path: str
    error: str | None = None
    tables: list[TableResult] = field(default_factory=list)
    suppressions: list[Suppression] = field(default_factory=list)
    changes: Any = None       # validate.changes.FileChanges, when compared with a revision

    @property
    def rows(self) -> int:
        return sum(t.table.row_count for t in self.tables)

    @property
    def schemas(self) -> list[str]:
        names: list[str] = []
        for result in self.tables:
            if result.match.schema is not None and result.match.schema.name not in names:
                names.append(result.match.schema.name)
        return names


@dataclass
class Report:
    files: list[FileResult]
    findings: list[Finding]
    suppressed: list[Finding]
    schemas: list[TableSchema]
    rules: list[Rule]
    pairs: list[tuple[str, str]] = field(default_factory=list)   # language versions checked together
    baselined: list[Finding] = field(default_factory=list)       # accepted by --baseline
    options: dict[str, dict[str, Options]] = field(default_factory=dict)  # schema -> code -> options
    tool: dict[str, str] = field(default_factory=lambda: {"name": TOOL_NAME, "version": __version__})

    def summary(self) -> dict[str, int]:
        counts = {"error": 0, "warning": 0, "info": 0}
        for finding in self.findings:
            counts[finding.severity] += 1
        return counts

    @property
    def failed_files(self) -> list[FileResult]:
        return [f for f in self.files if f.error]

    @property
    def problems(self):
        """The findings grouped by root cause, ranked (validate.grouping); every finding is in
        exactly one. Worked out again whenever the findings change (a baseline, a fix)."""
        from validate.grouping import group_problems
        from validate.rules import BY_CODE

        made_for = (id(self.findings), len(self.findings))
        if getattr(self, "_problems_for", None) != made_for:
            problems = group_problems(self.findings, BY_CODE)
            self._problems, self._problems_for = problems, made_for
        return self._problems

    @property
    def internal_errors(self) -> list[Finding]:
        """Checks that failed: the run could not do all of its job (exit status 2)."""
        return [f for f in self.findings if f.code == internal_error.RULE.code]


def _known_fields(rule: Rule, given: dict[str, Any], fields: set[str], where: str) -> None:
    """A field name in an option must name a field: a typo must not silently drop it."""
    for option in rule.options:
        if option.kind == "fields" and option.name in given:
            unknown = [name for name in given[option.name] if name not in fields]
            if unknown:
                raise ConfigError(f"{where}: option {option.name!r} names unknown field"
                                  f"{'s' if len(unknown) > 1 else ''} {', '.join(map(repr, unknown))} "
                                  f"(fields: {', '.join(sorted(fields))})")


def rule_matches(rule: Rule, selector: str) -> bool:
    """Whether `selector` (a code, a code prefix, a kebab name, a category or ALL) names `rule`."""
    if selector.upper() == "ALL":
        return True
    if selector.lower() in CATEGORIES:
        return rule.category == selector.lower()
    if selector.lower() == rule.name:
        return True
    return rule.code.startswith(selector.upper())


def _check_selectors(selectors: Iterable[str], where: str) -> None:
    for selector in selectors:
        if not any(rule_matches(rule, selector) for rule in ALL_RULES):
            raise ConfigError(f"{where}: {selector!r} names no rule "
                              "(use a code such as D401, a prefix such as D, a rule name or a category)")


class Checker:
    """Loads schemas and rules once, then checks documents."""

    def __init__(self, settings: Settings, schema_dirs: list[str] | None = None):
        self.settings = settings
        where = settings.source or "command line"
        _check_selectors(settings.select, f"{where}: select")
        _check_selectors(settings.ignore, f"{where}: ignore")
        for code in list(settings.severity) + list(settings.rule_options):
            if lookup(code) is None:
                raise ConfigError(f"{where}: {code!r} is not a rule code")
        selected = [r for r in ALL_RULES if
                    (any(rule_matches(r, s) for s in settings.select) if settings.select
                     else r.enabled_by_default)]
        self.rules = [r for r in selected if not any(rule_matches(r, s) for s in settings.ignore)]
        self.severity = {lookup(code).code: level for code, level in settings.severity.items()}
        directories = [builtin_schema_dir()] + [Path(d) for d in (schema_dirs or [])]
        self.reference: Reference = load_reference(directories)
        self.schemas: list[TableSchema] = load_schemas(directories)
        self.options = {schema.name: self._options_for(schema) for schema in self.schemas}
        self.default_options = self._options_for(None)
        self.inferred_options = self._options_for(
            TableSchema(name=INFERRED, description="", fields={}, rules=INFERRED_RULE_OPTIONS,
                        disabled=INFERRED_DISABLED))
        self.pairing = PairingRules.from_config(settings.pairing, f"{where}: [tool.validate.pairing]")

    def _options_for(self, schema: TableSchema | None) -> dict[str, Options]:
        resolved = {}
        config_options = {lookup(code).code: opts for code, opts in self.settings.rule_options.items()}
        if schema is not None:
            for code in list(schema.rules) + list(schema.disabled):
                if lookup(code) is None:
                    raise ConfigError(f"{schema.path}:{schema.rule_lines.get(code, 1)}: "
                                      f"rules: {code!r} is not a rule code")
        every_field = {name for s in self.schemas for name in s.fields}
        for rule in ALL_RULES:
            values = rule.default_options()
            if schema is not None:
                for code, opts in schema.rules.items():
                    if lookup(code).code == rule.code:
                        where = f"{schema.path}:{schema.rule_lines.get(code, 1)}: rules.{code}"
                        values = rule.resolve_options(opts, where) | {}
                        _known_fields(rule, opts, set(schema.fields), where)
            if rule.code in config_options:
                where = f"{self.settings.source or 'config'}: [tool.validate.rules.{rule.code}]"
                merged = dict(values)
                merged.update(rule.resolve_options(config_options[rule.code], where))
                _known_fields(rule, config_options[rule.code], every_field, where)
                values = merged
            resolved[rule.code] = Options(values, reference=self.reference)
        return resolved

    def active_rules(self, scope: str) -> list[Rule]:
        return [rule for rule in self.rules if rule.scope == scope]

    # --- one file -------------------------------------------------------------------------

    def read_document(self, source: SourceFile, run_rules: bool = True
                      ) -> tuple[FileResult, list[tuple[Rule, Hit, int | None]]]:
        """Parse a document, match its tables to schemas and run the `table` rules.

        The first phase of a check: no pandas. With `run_rules` False (a reference page) the
        document is only parsed. Hits carry the index of their table (or None).
        """
        result = FileResult(path=source.path, error=source.error)
        if source.error is not None or source.text is None:
            return result, []
        try:
            document = parse_markdown(source.text)
        except Exception as error:  # noqa: BLE001 - the reader's bug must not end the run
            return result, [(internal_error.RULE, internal_error.hit("reading", error, "this page"), None)]
        if sum(t.row_count * t.width for t in document.tables) >= BIG_TABLE_CELLS:
            release_free_memory()
        hits: list[tuple[Rule, Hit, int | None]] = []
        for table in document.tables:
            match = match_table(table.header, self.schemas)
            table_result = TableResult(table=table, match=match)
            result.tables.append(table_result)
            if not run_rules:
                continue
            if match.schema is None and table.row_count and table.width > MAX_INFERRED_COLUMNS:
                match.reason += (f"; {table.width:,} columns: checked for structure only (tables "
                                 f"without a schema are typed up to {MAX_INFERRED_COLUMNS} columns)")
            elif match.schema is None and table.row_count:
                schema = infer_schema(table, self.reference)
                if any(spec.numeric for spec in schema.fields.values()):
                    table_result.inferred = schema
                    match.reason += "; format checks ran on an inferred schema"
            options = self.options.get(match.schema.name) if match.schema else self.default_options
            context = TableContext(path=source.path, table=table, match=match)
            disabled = match.schema.disabled if match.schema is not None else frozenset()
            for rule in self.active_rules("table"):
                if rule.code in disabled:
                    continue
                context.options = options[rule.code]
                try:
                    found = list(rule.check(context))
                except Exception as error:  # noqa: BLE001 - one rule's bug must not end the run
                    found = [internal_error.hit(rule.code, error)]
                    rule = internal_error.RULE
                hits.extend((rule, hit, table.index) for hit in found)
        result.suppressions = collect(document, [(t.line, t.index) for t in document.tables])
        return result, hits

    def check_typed(self, result: FileResult, run_rules: bool = True
                    ) -> list[tuple[Rule, Hit, int | None]]:
        """Type the schema-matched tables of a read document and run the pandera-driven rules.

        The second phase of a check, the one that needs pandas (imported here, not before).
        Small tables of one kind and one header are typed and checked as one stack when a page
        has several of them (see validate.frames), then split back into one table each.
        """
        hits: list[tuple[Rule, Hit, int | None]] = []
        for batch in self._batches(result):
            hits.extend(self._check_batch(result.path, batch, run_rules))
        return hits

    def _batches(self, result: FileResult) -> list[list[tuple[TableResult, HeaderMatch]]]:
        """The typed tables of a page, in page order, in batches of tables checked together."""
        batches: list[list[tuple[TableResult, HeaderMatch]]] = []
        stacks: dict[tuple, list[tuple[TableResult, HeaderMatch]]] = {}
        for table_result in result.tables:
            match = table_result.match
            if table_result.inferred is not None:
                schema = table_result.inferred
                match = HeaderMatch(schema=schema, columns={name: i for i, name in enumerate(schema.fields)})
            if match.schema is None or not table_result.table.row_count:
                continue
            table = table_result.table
            if table.row_count > STACK_MAX_ROWS:
                batches.append([(table_result, match)])
                continue
            shape = (match.schema.name, match.schema.path, tuple(match.schema.fields.values()),
                     table_result.inferred is not None, tuple(table.header),
                     tuple(sorted(match.columns.items())), tuple(sorted(match.header_units.items())))
            if shape not in stacks:
                stacks[shape] = []
                batches.append(stacks[shape])
            stacks[shape].append((table_result, match))
        # A stack pays off over many tables; a few are checked one by one, as they always were.
        split: list[list[tuple[TableResult, HeaderMatch]]] = []
        for batch in batches:
            split.extend([batch] if len(batch) >= STACK_MIN_TABLES else [[one] for one in batch])
        return split

    def _check_batch(self, path: str, batch: list[tuple[TableResult, HeaderMatch]],
                     run_rules: bool) -> list[tuple[Rule, Hit, int | None]]:
        from validate.checking import ActiveRule, check_table
        from validate.frames import build_parsed_table

        first, match = batch[0]
        tables = [table_result.table for table_result, _ in batch]
        try:
            parsed = build_parsed_table(path, tables if len(batch) > 1 else tables[0], match,
                                        self.reference)
        except Exception as error:  # noqa: BLE001 - a table that cannot be typed is skipped
            return [(internal_error.RULE, internal_error.hit("typing", error), table.index)
                    for table in tables]
        big = sum(t.row_count for t in tables) * tables[0].width >= BIG_TABLE_CELLS
        if big:
            release_free_memory()
        found = []
        if run_rules:
            options = (self.inferred_options if first.inferred is not None
                       else self.options.get(parsed.schema.name) or self.default_options)
            # An inferred schema knows types, not meanings: only the cell format rules apply.
            scopes = ("cells",) if first.inferred is not None else ("cells", "rows")
            active = [ActiveRule(rule, options[rule.code]) for rule in self.rules
                      if rule.scope in scopes and rule.code not in parsed.schema.disabled]
            try:
                found = check_table(parsed, active)
            except Exception as error:  # noqa: BLE001 - a bug outside any one rule
                found = [(internal_error.RULE, internal_error.hit("checking", error))]
        if not parsed.stacked:
            first.parsed = parsed
            if big:
                release_free_memory()
            return [(rule, hit, first.table.index) for rule, hit in found]
        # A stack: each hit goes to its table, its row counted from that table's first row.
        segment = parsed.segment_of()
        hits = []
        for rule, hit in found:
            number = int(segment[hit.row]) if hit.row is not None else 0
            if hit.row is not None:
                hit = replace(hit, row=hit.row - parsed.bounds[number])
            hits.append((rule, hit, batch[number][0].table.index))
        for number, (table_result, own_match) in enumerate(batch):
            table_result.parsed = replace(parsed.part(number), match=own_match)
        return hits

    def check_source(self, source: SourceFile, run_rules: bool = True
                     ) -> tuple[FileResult, list[tuple[Rule, Hit, int | None]]]:
        """Both phases for one document."""
        result, hits = self.read_document(source, run_rules)
        hits.extend(self.check_typed(result, run_rules))
        return result, hits

    # --- findings ---------------------------------------------------------------------------

    def anchor(self, rule: Rule, hit: Hit, file: FileResult, table_index: int | None) -> Finding:
        """Turn a rule's hit (row, field) into a finding at file:line:column."""
        table_result = file.tables[table_index] if table_index is not None else None
        table = table_result.table if table_result is not None else None
        match = table_result.typed_match if table_result is not None else None
        line, column, value = hit.line, hit.column, hit.value
        cell = hit.column_index
        if cell is None and hit.field is not None and match is not None:
            cell = match.columns.get(hit.field)
        if line is None and table is not None:
            if hit.row is None:
                line = table.line
                if cell is not None:
                    column = table.cell_column(None, cell)
                    value = table.header_sources[cell] if cell < table.width else None
                else:
                    column = table.row_column(None)
            else:
                line = table.row_lines[hit.row]
                if cell is not None:
                    column = table.cell_column(hit.row, cell)
                    sources = table.row_source(hit.row)
                    value = sources[cell] if cell < len(sources) else None
                else:
                    column = table.row_column(hit.row)
        severity = self.severity.get(rule.code, rule.severity)
        field_name, evidence = hit.field, hit.evidence
        if table_result is not None and table_result.inferred is not None and field_name:
            # An inferred column has no canonical field name: say which column instead.
            evidence = {"column": table.header[cell] if cell is not None and cell < table.width
                        else field_name, **evidence}
            field_name = None
        edits = tuple(FileEdit(line, column + edit.offset, edit.old, edit.new)
                      for edit in hit.edits) if (line and column and value is not None) else ()
        return Finding(code=rule.code, name=rule.name, category=rule.category, severity=severity,
                       file=file.path, line=line or 1, column=column or 1,
                       message=shortened(hit.message, MAX_MESSAGE),
                       table_index=table_index, row_index=hit.row, field=field_name,
                       value=shortened(value, MAX_TEXT) if value is not None else None,
                       evidence=plain_evidence(evidence), edits=edits)

    def anchor_safely(self, rule: Rule, hit: Hit, file: FileResult, table_index: int | None) -> Finding:
        """`anchor`, or an internal error at the table when the hit names no real cell."""
        try:
            return self.anchor(rule, hit, file, table_index)
        except Exception as error:  # noqa: BLE001 - one rule's bad hit must not end the run
            return self.anchor(internal_error.RULE, internal_error.hit(f"{rule.code} (position)", error),
                               file, table_index)

    def suppress(self, file: FileResult, findings: list[Finding]) -> tuple[list[Finding], list[Finding]]:
        kept, suppressed = [], []
        for finding in findings:
            if finding.code == internal_error.RULE.code:
                kept.append(finding)  # the page cannot vouch for a check that did not run
                continue
            covering = None
            for suppression in file.suppressions:
                if suppression.problem:
                    continue
                if suppression.verb == "ignore":
                    if suppression.table_index is None or suppression.table_index != finding.table_index:
                        continue
                    if suppression.row is not None and suppression.row != finding.row_index:
                        continue
                written = matches(suppression, finding.code, finding.name)
                if written is not None:
                    suppression.used.add(written)
                    covering = suppression
            (suppressed if covering else kept).append(finding)
        if unused_suppression.RULE in self.rules:
            known = lambda code: lookup(code) is not None  # noqa: E731
            active = lambda code: lookup(code) in self.rules  # noqa: E731
            for hit in unused_suppression.check(file.suppressions, known, active):
                kept.append(self.anchor(unused_suppression.RULE, hit, file, None))
        return kept, suppressed

    def run(self, sources: Iterable[SourceFile], references: Iterable[SourceFile] = (),
            jobs: int = 1, progress: Any = None, previous: dict[str, Any] | None = None,
            only_changed: bool = False) -> Report:
        """Check `sources`; `references` (other language versions of them) are read for the
        translation rules only: nothing is reported on them.

        With `jobs` > 1 the typed checks of different files run in parallel processes; the
        report is the same as with one. `progress`, if given, is called with each file's
        path once it is checked. `previous` maps paths to their version at a git revision
        (validate.history.Previous): each such page is compared with it, and the change rules
        judge the edit; with `only_changed`, only findings on what the edit touched are kept.
        """
        files: list[FileResult] = []
        hits: dict[str, list[tuple[Rule, Hit, int | None]]] = {}
        for source in sources:
            result, found = self.read_document(source)
            files.append(result)
            hits[result.path] = found
        typed = [f for f in files if any((t.match.schema is not None or t.inferred is not None)
                                         and t.table.row_count for t in f.tables)]
        # Worker processes pay for themselves only over several files: for a couple of pages
        # (a commit's worth) starting them costs more than it saves.
        if jobs > 1 and len(typed) >= PARALLEL_MIN_FILES:
            from validate.parallel import check_typed_in_parallel

            for result, found in check_typed_in_parallel(self, typed, jobs, progress):
                hits[result.path].extend(found)
        else:
            for result in typed:
                hits[result.path].extend(self.check_typed(result))
                if progress is not None:
                    progress(result.path)
        consulted = [self.check_source(source, run_rules=False)[0] for source in references]
        every = [f for f in files + consulted if not f.error]
        pairs = [pair for pair in find_pairs([f.path for f in every], self.pairing)
                 if pair[0] in hits or pair[1] in hits]
        for path, found in self.check_pairs(every, pairs).items():
            if path in hits:
                hits[path].extend(found)
        if previous:
            by_path = {f.path: f for f in every}
            for result in files:
                if result.path in previous and not result.error:
                    hits[result.path].extend(self.check_changes(result, previous[result.path],
                                                                by_path, pairs))
        findings: list[Finding] = []
        suppressed: list[Finding] = []
        for result in files:
            anchored = [self.anchor_safely(rule, hit, result, index) for rule, hit, index in hits[result.path]]
            kept, hidden = self.suppress(result, anchored)
            findings.extend(kept)
            suppressed.extend(hidden)
        if only_changed:
            findings = [f for f in findings if _touched(f, files)]
        findings.sort(key=Finding.sort_key)
        suppressed.sort(key=Finding.sort_key)
        return Report(files=files, findings=findings, suppressed=suppressed,
                      schemas=self.schemas, rules=self.rules, pairs=pairs, options=self.options)

    def check_changes(self, result: FileResult, earlier: Any, by_path: dict[str, FileResult],
                      pairs: list[tuple[str, str]]) -> list[tuple[Rule, Hit, int | None]]:
        """Compare a page with its version at a revision; run the change rules on the edit."""
        from validate.changes import compare
        from validate.rules.change import ChangeContext

        old = None
        if not earlier.absent:
            old = self.check_source(SourceFile(f"{earlier.ref or 'index'}:{result.path}",
                                               earlier.text), run_rules=False)[0]
        result.changes = compare(result.path, earlier.ref, old, result)
        rules = self.active_rules("change")
        found: list[tuple[Rule, Hit, int | None]] = []
        if old is None or not rules:
            return found
        partners = [by_path[b if a == result.path else a] for a, b in pairs if result.path in (a, b)]
        for table in result.changes.tables:
            if table.old is None:
                continue
            kind, position = table.new.schema.name, _position(result, table.new)
            others = [p for partner in partners for p in _typed_of(partner, kind)[position:position + 1]]
            context = ChangeContext(changes=table, ref=earlier.ref, partners=others)
            options = self.options.get(kind) or self.default_options
            for rule in rules:
                try:
                    produced = list(rule.check(context, options[rule.code]))
                except Exception as error:  # noqa: BLE001 - one rule's bug must not end the run
                    produced, rule = [internal_error.hit(rule.code, error)], internal_error.RULE
                found.extend((rule, hit, table.new.table.index) for hit in produced)
        return found

    def check_pairs(self, files: list[FileResult],
                    pairs: list[tuple[str, str]]) -> dict[str, list[tuple[Rule, Hit, int | None]]]:
        """Translation rules over every pair of language versions among `files`."""
        rules = self.active_rules("pair")
        found: dict[str, list[tuple[Rule, Hit, int | None]]] = {}
        if not rules:
            return found
        from validate.rules.translation.common import PairContext

        by_path = {f.path: f for f in files if not f.error}
        for left_path, right_path in pairs:
            left_file, right_file = by_path[left_path], by_path[right_path]
            for left, right in paired_tables(left_file, right_file):
                context = PairContext(left=left.parsed, right=right.parsed,
                                      left_language=self.pairing.language(left_path) or self.pairing.default,
                                      right_language=self.pairing.language(right_path) or "")
                options = self.options[left.parsed.schema.name]
                for rule in rules:
                    try:
                        produced = list(rule.check(context, options[rule.code]))
                    except Exception as error:  # noqa: BLE001 - one rule's bug must not end the run
                        produced = [("left", internal_error.hit(f"{rule.code} with {right_path}", error))]
                        rule = internal_error.RULE
                    for side, hit in produced:
                        target = left if side == "left" else right
                        path = left_path if side == "left" else right_path
                        found.setdefault(path, []).append((rule, hit, target.table.index))
        return found


def _typed_of(result: FileResult, kind: str) -> list:
    return [t.parsed for t in result.tables
            if t.parsed is not None and t.inferred is None and t.parsed.schema.name == kind]


def _position(result: FileResult, parsed: Any) -> int:
    """Which table of its kind `parsed` is in its page (0: the first)."""
    return [id(p) for p in _typed_of(result, parsed.schema.name)].index(id(parsed))


def _touched(finding: Finding, files: list[FileResult]) -> bool:
    """Whether a finding sits on a row an edit changed or added (change findings always do)."""
    result = next((f for f in files if f.path == finding.file), None)
    if result is None or result.changes is None or finding.table_index is None:
        return False
    table = result.changes.table(finding.table_index)
    if table is None or finding.row_index is None:
        return False
    # reviewdog's "added lines": a row is a line, and any finding on an edited row is shown.
    return finding.row_index in table.changed_rows


def paired_tables(left: FileResult, right: FileResult):
    """Tables of the same kind, paired in page order (the first guide table with the first)."""
    def by_schema(result: FileResult):
        kinds: dict[str, list[TableResult]] = {}
        for table in result.tables:
            if table.parsed is not None and table.inferred is None:
                kinds.setdefault(table.parsed.schema.name, []).append(table)
        return kinds

    right_kinds = by_schema(right)
    for name, tables in by_schema(left).items():
        yield from zip(tables, right_kinds.get(name, []))


# What one finding may carry, whatever the page: reports stay linear in the number of
# findings (a 5 MB cell or a header of 10,000 columns is not copied into each of them).
MAX_MESSAGE = 400
MAX_TEXT = 200
MAX_LIST = 10


def shortened(text: str, limit: int) -> str:
    """`text`, or its beginning and how long it was when it is longer than `limit`."""
    if len(text) <= limit:
        return text
    return f"{text[:limit]}... ({len(text):,} characters)"


# Evidence that encodes to at most this many characters, with no text longer than MAX_TEXT,
# is kept as the rule wrote it (see plain_evidence).
_PLAIN_ENOUGH = 1500
_LONG_TEXT = re.compile(r'"[^"]{%d,}' % MAX_TEXT)


def plain_evidence(evidence: dict) -> dict:
    """`plain(evidence)`, with a shortcut for the usual case: evidence that json's C encoder
    takes as it is (no numpy scalar, no NaN), that is short and holds no long text (a text
    with a quote in it is not measured here: it takes the long way) has nothing to change."""
    try:
        encoded = json.dumps(evidence, ensure_ascii=False, allow_nan=False)
    except (TypeError, ValueError):
        return plain(evidence)
    if len(encoded) <= _PLAIN_ENOUGH and '\\"' not in encoded and not _LONG_TEXT.search(encoded):
        return evidence
    return plain(evidence)


def plain(value: Any) -> Any:
    """Evidence as plain JSON data: numpy scalars become Python numbers, NaN and inf None;
    long texts and lists are cut (with what was left out said at the end)."""
    kind = type(value)
    if kind is dict:
        # Most entries are already plain: keep them without a call (a big run has millions).
        result = {}
        for key, item in value.items():
            item_kind = type(item)
            if item_kind is int or item_kind is bool or item is None or (
                    item_kind is str and len(item) <= MAX_TEXT):
                result[key if type(key) is str else str(key)] = item
            else:
                result[key if type(key) is str else str(key)] = plain(item)
        return result
    if kind is str:
        return shortened(value, MAX_TEXT)
    if kind is int or kind is bool or value is None:
        return value
    if isinstance(value, dict):
        return plain(dict(value))
    if kind is list and len(value) <= MAX_LIST and all(
            type(v) is int or type(v) is str and len(v) <= MAX_TEXT for v in value):
        return list(value)
    if isinstance(value, (list, tuple)):
        kept = [plain(v) for v in value[:MAX_LIST]]
        if len(value) > MAX_LIST:
            kept.append(f"... and {len(value) - MAX_LIST:,} more")
        return kept
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        value = value.item()
    if isinstance(value, float) and (value != value or value in (float("inf"), float("-inf"))):
        return None
    if isinstance(value, str):
        return shortened(value, MAX_TEXT)
    if value is not None and not isinstance(value, (str, int, float, bool)):
        return None if str(value) == "<NA>" else shortened(str(value), MAX_TEXT)
    return value


def check_paths(paths: list[str], settings: Settings, schema_dirs: list[str] | None = None) -> Report:
    """Convenience for tests and scripts: check files by path (with their other language versions)."""
    checker = Checker(settings, schema_dirs)
    references = reference_paths(paths, checker.pairing)
    return checker.run((read_source(path) for path in paths),
                       (read_source(path) for path in references))
