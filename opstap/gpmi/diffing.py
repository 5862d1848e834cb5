"""What an amendment changed: two contents (services.content_of) compared in plain words."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from .models import Gpmi, GpmiStep


@dataclass(frozen=True)
class Change:
    what: str
    before: str
    after: str


def _label(field: str) -> str:
    try:
        return str(Gpmi._meta.get_field(field).verbose_name)
    except Exception:  # noqa: BLE001 - an unknown key from an older snapshot is shown as is
        return field


def _step_text(step: dict) -> str:
    parts = [
        step["text"],
        str(dict(GpmiStep._meta.get_field("owner").choices).get(step["owner"], step["owner"])),
    ]
    if step.get("due_date"):
        parts.append(_("due %(d)s") % {"d": step["due_date"]})
    if step.get("done_on"):
        parts.append(_("done %(d)s") % {"d": step["done_on"]})
    return " · ".join(parts)


def changes(old: dict, new: dict) -> list[Change]:
    """Contract fields, support, third parties, goals and steps that differ."""
    result: list[Change] = []
    for field, before in old.get("fields", {}).items():
        after = new.get("fields", {}).get(field)
        if (before or "") != (after or ""):
            result.append(Change(_label(field), str(before or "—"), str(after or "—")))
    if old.get("supports", []) != new.get("supports", []):
        result.append(
            Change(
                _("Support"),
                ", ".join(old.get("supports", [])) or "—",
                ", ".join(new.get("supports", [])) or "—",
            )
        )
    names = lambda content: ", ".join(p["name"] for p in content.get("third_parties", []))  # noqa: E731
    if names(old) != names(new):
        result.append(Change(_("Third parties"), names(old) or "—", names(new) or "—"))
    old_goals = {g["id"]: g for g in old.get("goals", [])}
    new_goals = {g["id"]: g for g in new.get("goals", [])}
    for gid, goal in old_goals.items():
        if gid not in new_goals:
            result.append(Change(_("Goal removed"), goal["text"], "—"))
            continue
        other = new_goals[gid]
        if goal["text"] != other["text"] or goal["domain"] != other["domain"]:
            result.append(Change(_("Goal"), goal["text"], other["text"]))
        if goal["status"] != other["status"]:
            result.append(
                Change(
                    _("Goal status: %(goal)s") % {"goal": other["text"]},
                    goal["status"],
                    other["status"],
                )
            )
        result.extend(_step_changes(goal, other))
    for gid, goal in new_goals.items():
        if gid not in old_goals:
            result.append(Change(_("Goal added"), "—", f"{goal['domain_label']}: {goal['text']}"))
            for step in goal["steps"]:
                result.append(Change(_("Step added"), "—", _step_text(step)))
    return result


def _step_changes(old_goal: dict, new_goal: dict) -> list[Change]:
    result = []
    before = {s["id"]: s for s in old_goal["steps"]}
    after = {s["id"]: s for s in new_goal["steps"]}
    for sid, step in before.items():
        if sid not in after:
            result.append(Change(_("Step removed"), _step_text(step), "—"))
        elif _step_text(step) != _step_text(after[sid]):
            result.append(Change(_("Step"), _step_text(step), _step_text(after[sid])))
    for sid, step in after.items():
        if sid not in before:
            result.append(Change(_("Step added"), "—", _step_text(step)))
    return result
