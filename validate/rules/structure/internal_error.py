"""
## What it checks
Nothing on the page: it is how the tool says that one of its own checks failed on a table.
When a rule (or the typing of a table) raises, the engine stops that rule on that table,
reports this finding at the table with the rule's code and the exception's type, and goes
on with every other rule, table and file. The run then exits with status 2 ("could not do
its job"), because the page was not fully checked.

## Why it matters
A crash in one check must not hide the findings of every other check, nor the reports of a
whole docs tree; but it must not pass silently either, since the table was only partly checked.

## Example that fires
```markdown
| Model | throughput |
| --- | --- |
| Llama3 8B | 93,291 TPS |
```
(only when a rule has a bug that this table triggers).

## Example that does not
```markdown
| Model | throughput |
| --- | --- |
| Llama3 8B | 93,291 TPS |
```

## Options
None. Internal errors cannot be ignored or suppressed: they always make the exit status 2.

## Fix
Report it to the tool's maintainers with the table (the finding names the rule and the
exception); meanwhile `--ignore CODE` skips the failing rule.
"""

from validate.findings import Hit
from validate.rules.base import Rule, rule_doc

# Exception texts can be long (a whole frame's repr): the message keeps this much of one.
_DETAIL_CHARACTERS = 200


def hit(failed: str, error: BaseException | str, where: str = "this table") -> Hit:
    """The finding for check `failed` (a rule code, or a phase such as `typing`) raising `error`."""
    kind = type(error).__name__ if isinstance(error, BaseException) else "Error"
    detail = " ".join(str(error).split())
    if len(detail) > _DETAIL_CHARACTERS:
        detail = detail[:_DETAIL_CHARACTERS] + "..."
    return Hit(message=(f"internal error: {failed} failed on {where} ({kind}: {detail}); "
                        f"the other checks ran, this one did not"),
               evidence={"failed": failed, "exception": kind, "detail": detail})


RULE = Rule(grouping=(), code="S100", name="internal-error", category="structure", severity="error",
            summary="A check of the tool itself failed on this table (the run exits 2).",
            doc=rule_doc(__doc__), scope="engine", check=lambda context: ())
