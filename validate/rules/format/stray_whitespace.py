"""
## What it checks
A cell's text has no runs of two or more spaces (or a tab) inside it: `626,391  MiB`.

## Why it matters
Doubled spaces do not show on the rendered page, but they are the trace of an edit that
removed or replaced part of a value, and they break plain-text searches and diffs of the
table. It is information, not an error.

## Example that fires
```markdown
| Model | vram Usage |
| --- | --- |
| Qwen1.5 7B | 626,391  MiB |
```

## Example that does not
```markdown
| Model | vram Usage |
| --- | --- |
| Qwen1.5 7B | 626,391 MiB |
```

## Options
None.

## Fix
Collapse the spaces (`validate --fix` does this).
"""

import re

from validate.findings import Edit, Hit
from validate.rules.base import Rule, rule_doc
from validate.rules.common import source_text, unchanged_values

_RUN = r"[ \t]{2,}|\t"


def check(texts, options, spec, parsed=None):
    texts = texts.fillna("")
    # Plain substring searches first: far cheaper than the pattern on every cell.
    suspect = texts.str.contains("  ", regex=False) | texts.str.contains("\t", regex=False)
    return ~suspect


def explain(parsed, field, rows, options):
    texts = [source_text(parsed, field, row) for row in rows]
    proposed = [re.sub(_RUN, " ", text) for text in texts]
    safe = unchanged_values(parsed, field, list(rows), proposed, options.reference)
    for row, text, fixed, ok in zip(rows, texts, proposed, safe):
        edits = tuple(Edit(m.start(), m.group(0), " ") for m in re.finditer(_RUN, text)) if ok else ()
        yield Hit(message=f"{field} {text!r} has {'a tab' if chr(9) in text else 'a run of spaces'} inside it",
                  row=row, field=field, evidence={"fixed": fixed}, edits=edits)


RULE = Rule(grouping=("column",), style=True, code="F212", name="stray-whitespace", category="format", severity="info",
            summary="A cell has doubled spaces or a tab inside its text.",
            doc=rule_doc(__doc__), scope="cells", aspect="text", applies_to=lambda spec: True,
            check=check, explain=explain)
