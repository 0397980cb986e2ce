"""Store each evaluation's humanitarian arrangement (domain.md §4), and fill it in for the
evaluations stored before: replaying an evaluation's facts snapshot under its own rulebook
gives its answer again, word for word (invariant 8), arrangement included. Evaluations under a
rulebook that decides none (2007.3), not applicable ones and snapshots the engine no longer
reads keep null."""

import json

from django.db import migrations, models

from integration import engine

BATCH = 500


def _arrangement_dict(arrangement) -> dict:
    def fired(rule):
        return {"id": rule.id, "principle": rule.principle, "explanation": rule.explanation}

    return {
        "arrangement": arrangement.arrangement,
        "rules": [fired(rule) for rule in arrangement.rules],
        "risks": [fired(rule) for rule in arrangement.risks],
    }


def _replayed(facts: dict, compiled, cache: dict) -> dict | None:
    # The arrangement reads context facts only: one replay per distinct context.
    key = json.dumps(facts.get("context"), sort_keys=True)
    if key not in cache:
        try:
            decision = engine.evaluate(engine.facts_from_dict(facts), compiled)
        except engine.FactError:
            cache[key] = None
        else:
            arrangement = decision.humanitarian_arrangement
            cache[key] = None if arrangement is None else _arrangement_dict(arrangement)
    return cache[key]


def backfill(apps, schema_editor):
    Rulebook = apps.get_model("integration", "Rulebook")
    Evaluation = apps.get_model("assessments", "Evaluation")
    for rulebook in Rulebook.objects.order_by("pk"):
        try:
            compiled = engine.load_rulebook(rulebook.content)
        except engine.RulebookError:  # a draft that no longer loads evaluated nothing
            continue
        if not any(rule.effect.type == "humanitarian_arrangement" for rule in compiled.rules):
            continue
        cache: dict = {}
        pending = Evaluation.objects.filter(
            rulebook=rulebook, applicable=True, humanitarian_arrangement__isnull=True
        ).only("pk", "facts")
        batch = []
        for evaluation in pending.order_by("pk").iterator(chunk_size=BATCH):
            evaluation.humanitarian_arrangement = _replayed(evaluation.facts, compiled, cache)
            if evaluation.humanitarian_arrangement is not None:
                batch.append(evaluation)
            if len(batch) >= BATCH:
                Evaluation.objects.bulk_update(batch, ["humanitarian_arrangement"])
                batch = []
        Evaluation.objects.bulk_update(batch, ["humanitarian_arrangement"])


class Migration(migrations.Migration):
    dependencies = [
        ("assessments", "0008_reevaluation_jobs"),
        ("integration", "0004_signinevent"),
    ]

    operations = [
        migrations.AddField(
            model_name="evaluation",
            name="humanitarian_arrangement",
            field=models.JSONField(
                blank=True, null=True, verbose_name="humanitarian arrangement"
            ),
        ),
        migrations.AddConstraint(
            model_name="evaluation",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("humanitarian_arrangement__isnull", True),
                    (
                        "humanitarian_arrangement__arrangement__in",
                        ("two_feet_in", "one_foot_in", "two_feet_out"),
                    ),
                    _connector="OR",
                ),
                name="evaluation_humanitarian_arrangement_valid",
                violation_error_message="The humanitarian arrangement is not one of its models.",
            ),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop, elidable=True),
    ]
