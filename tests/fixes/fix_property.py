"""The fix property (SPEC §13), as the tests check it: every fix, applied alone, removes
its finding and adds no finding. Fixes are taken as the rules propose them (verification
off), so the suggestion code itself is held to the property."""

from __future__ import annotations

from validator.config import Settings
from validator.engine import recheck, validate_documents
from validator.fixes.verify import holds, patched
from validator.load.document import Document


def failures(document: Document) -> tuple[int, list[str]]:
    """(fixes applied, descriptions of the fixes that broke the property) for one plan."""
    settings = Settings()
    report = validate_documents([document], settings, merge=False, verify_fixes=False)
    applied, broken = 0, []
    for finding in report.findings:
        if not finding.fix:
            continue
        applied += 1
        after = recheck([patched(document, finding.fix)], settings)
        if not holds(report.findings, finding, after):
            before = {(f.rule, f.path, f.objects) for f in report.findings}
            new = [
                (f.rule, f.path, f.objects)
                for f in after
                if (f.rule, f.path, f.objects) not in before
            ]
            broken.append(f"{finding.rule} {finding.path} fix {finding.fix}: new {new}")
    return applied, broken
