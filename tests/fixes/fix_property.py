"""The fix property (SPEC §13), as the tests check it: every fix, applied alone, removes
its finding and adds no finding. Fixes are taken as the rules propose them (verification
off), so the suggestion code itself is held to the property."""

from __future__ import annotations

from validator.config import Settings
from validator.engine import recheck, validate_documents
from validator.fixes.verify import UNCHECKED_WITHDRAWN, holds, patched
from validator.load.document import Document


def failures(document: Document) -> tuple[int, list[str]]:
    """(fixes applied, descriptions of the fixes that broke the property) for one plan.

    Fixes are taken as the rules propose them; only input fixes (a typo in a reference,
    whose effect is every check the input error held back) go through the engine's
    verification, and the test checks that it never withdrew any other fix."""
    settings = Settings()
    raw = validate_documents([document], settings, merge=False, verify_fixes=False)
    report = validate_documents([document], settings, merge=False)
    for unverified, verified in zip(raw.findings, report.findings, strict=True):
        if unverified.rule not in UNCHECKED_WITHDRAWN:
            assert verified.fix == unverified.fix, f"verification withdrew {unverified}"
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
