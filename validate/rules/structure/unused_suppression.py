"""
## What it checks
Every `<!-- validate: ignore CODE -->` comment in a page is still needed: it sits right
before a table (or at the end of a row), names rules that exist, and each rule it names
reported something there that it silenced.

## Why it matters
Suppressions outlive the problems they hid. A stale one hides the next real problem of the
same kind; a misspelled one hides nothing while looking as if it did.

## Example that fires
```markdown
<!-- validate: ignore D401 -->
| Model | MoAI Accelerator | batch size | sequence length | throughput |
| --- | --- | --- | --- | --- |
| Llama3 8B | 2xlarge | 128 | 1024 | 93,291 TPS |
```
(no duplicated measurement in the table).

## Example that does not
```markdown
<!-- validate: ignore D401 -->
| Model | MoAI Accelerator | batch size | sequence length | throughput |
| --- | --- | --- | --- | --- |
| Baichuan2 13B | 8xlarge | 32 | 4096 | 172395 |
| Baichuan2 13B | 8xlarge | 64 | 4096 | 172395 |
```

## Options
None.

## Fix
Delete the comment, or the codes in it that no longer fire; fix misspelled codes.
"""

from validate.findings import Hit
from validate.rules.base import Rule, rule_doc


def check(suppressions, known, active):
    """Hits for suppressions that are malformed, dangling, name unknown rules or went unused.

    `known(code)` says whether a code or name is a rule (`all` always is); `active(code)`
    whether it ran: a suppression of a rule that did not run cannot be called unused.
    """
    for suppression in suppressions:
        where = {"line": suppression.line, "column": suppression.column}
        if suppression.problem:
            yield Hit(message=f"suppression comment {suppression.problem}",
                      evidence={"codes": list(suppression.codes)}, **where)
            continue
        unknown = [c for c in suppression.codes if c.lower() != "all" and not known(c)]
        unused = [c for c in suppression.codes if c not in suppression.used and c not in unknown
                  and (c.lower() == "all" or active(c))]
        if unknown:
            yield Hit(message=f"suppression names unknown rule{'s' if len(unknown) > 1 else ''} "
                              f"{', '.join(unknown)}",
                      evidence={"unknown": unknown}, **where)
        if unused:
            scope = {"ignore-file": "in this file"}.get(suppression.verb,
                                                       "on this row" if suppression.row is not None
                                                       else "in the table below")
            yield Hit(message=(f"suppression of {', '.join(unused)} is unused: nothing "
                               f"{'it names ' if len(unused) > 1 else ''}fires {scope}"),
                      evidence={"unused": unused, "codes": list(suppression.codes)}, **where)


RULE = Rule(style=True, code="S107", name="unused-suppression", category="structure", severity="info",
            summary="A suppression comment silences nothing (or names no known rule).",
            doc=rule_doc(__doc__), scope="document", check=check)
