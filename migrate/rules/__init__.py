"""The rule catalogue: one file per semantic gap between standalone Home Manager
and Home Manager as a NixOS module (DESIGN.md section 4).

Each ``hm0NN_<slug>.py`` defines ``RULE``, a ``Rule`` with an id, a one-line
message, the explanation ``migrate --explain`` prints, the fix, and
``check(analysis) -> list[Finding]``.  ``check_all`` runs them all and never
raises: a rule that fails reports its failure as a finding.
"""

from __future__ import annotations

from typing import Optional

from migrate.rules import (
    hm001_nixpkgs_options,
    hm002_extra_special_args,
    hm003_input_modules,
    hm004_user_identity,
    hm005_self_management,
    hm006_generic_linux,
    hm007_clobbered_dotfiles,
    hm008_attachment,
    hm009_relative_paths,
    hm010_flake_inputs,
    hm011_channel_lookups,
    hm012_standalone_only,
)
from migrate.rules._common import Finding, Rule

RULES: tuple[Rule, ...] = tuple(sorted(
    (module.RULE for module in (
        hm001_nixpkgs_options, hm002_extra_special_args, hm003_input_modules, hm004_user_identity,
        hm005_self_management, hm006_generic_linux, hm007_clobbered_dotfiles, hm008_attachment,
        hm009_relative_paths, hm010_flake_inputs, hm011_channel_lookups, hm012_standalone_only,
    )),
    key=lambda rule: rule.id,
))

BY_ID: dict[str, Rule] = {rule.id: rule for rule in RULES}

__all__ = ["RULES", "BY_ID", "Finding", "Rule", "get", "explain", "check_all"]


def get(rule_id: str) -> Optional[Rule]:
    return BY_ID.get(rule_id.strip().upper())


def _table() -> str:
    width = max(len(rule.id) for rule in RULES)
    lines = ["Rules (`migrate --explain RULE` for details):", ""]
    for rule in RULES:
        lines.append(f"  {rule.id:<{width}}  {rule.message}")
    return "\n".join(lines) + "\n"


def explain(rule_id: str) -> Optional[str]:
    """The explanation of a rule (case-insensitive id), the table for ``list``, else None."""
    if rule_id is None:
        return None
    if rule_id.strip().lower() in ("list", "all", "rules"):
        return _table()
    rule = get(rule_id)
    return rule.explain() if rule is not None else None


def with_plan(findings: list[Finding], plan) -> list[Finding]:
    """The findings restated with what the plan does (rules that have an ``after_plan``)."""
    result = []
    for finding in findings:
        rule = get(finding.rule_id)
        result.append(rule.after_plan(finding, plan) if rule is not None and rule.after_plan else finding)
    return result


def check_all(analysis) -> list[Finding]:
    """Findings of every rule on the analysis, in rule order then location order; never raises."""
    findings: list[Finding] = []
    for rule in RULES:
        try:
            found = rule.check(analysis)
        except Exception as exc:  # one broken rule must not hide the others
            found = [Finding(rule.id, None, None, f"this rule could not be checked ({type(exc).__name__}: {exc})",
                             data={"internal_error": True})]
        findings.extend(sorted(found, key=lambda f: (f.file or "", f.line or 0, f.message)))
    return findings
