"""Scale benchmark: a large programme on PostgreSQL, then the page benchmark on it.

    .venv/bin/python bench/scale.py                  # 500 regions, 20,000 people ...
    .venv/bin/python bench/scale.py --regions 50     # a smaller run

Fills the database `belong_scale` with the demo programme plus N generated regions, each with
40 members, every question of the strategy answered (with its revision), 200 contributions
and 100 review comments (in 25 threads on a submitted version): at 500 regions that is
20,000 people, 100,000 contributions and 50,000 comments. Rows go in with executemany in
large batches. Then it runs bench/pages.py against that database, so the figures compare
with the demo run.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import common
import pages

SCALE_URL = "postgresql://postgres@127.0.0.1:5432/belong_scale"
MEMBERS, CONTRIBUTIONS, THREADS, COMMENTS_PER_THREAD = 40, 200, 25, 4
BATCH = 5000


def value(question, n: int):
    kind = question.type
    if kind == "long_text":
        return f"Generated answer {n}. The region **commits** to act.\n\n- one\n- two\n"
    if kind == "short_text":
        return f"Answer {n}"
    if kind == "number":
        return n % 1000
    if kind == "date":
        return "2027-01-01"
    if kind == "single_choice":
        return question.options[n % len(question.options)].value
    if kind == "multiple_choice":
        return [o.value for o in question.options[: 1 + n % len(question.options)]]
    if kind == "scale":
        return {"choice": question.options[n % len(question.options)].value, "evidence": "Seen."}
    if kind == "table":
        return [{c.id: value(c, n + i) for c in question.columns} for i in range(4)]
    return f"value {n}"


def insert(conn, table, rows: list[dict]) -> None:
    for start in range(0, len(rows), BATCH):
        conn.execute(table.insert(), rows[start : start + BATCH])


def generate(app, regions: int) -> dict[str, int]:
    from sqlalchemy import select

    import belong.models as models
    from belong.extensions import db
    from belong.models import Answer, AnswerRevision, Membership, Region, Role, User
    from belong.templating.registry import get_template

    with app.app_context():
        template = get_template("intercultural-region").definition
    roles = (
        [Role.CONTRIBUTOR] * 30 + [Role.EDITOR] * 6 + [Role.COORDINATOR] * 2 + [Role.REVIEWER] * 2
    )
    counts = dict.fromkeys(("regions", "people", "answers", "contributions", "comments"), 0)
    with app.app_context(), db.engine.begin() as conn:
        insert(
            conn,
            Region.__table__,
            [
                {
                    "slug": f"gen-{r:04d}",
                    "name": f"Generated Region {r:04d}",
                    "country": "Fictional",
                    "template_id": template.id,
                    "language": "en",
                    "period": "2027-2031",
                }
                for r in range(regions)
            ],
        )
        region_ids = list(
            conn.scalars(select(Region.id).where(Region.slug.like("gen-%")).order_by(Region.slug))
        )
        insert(
            conn,
            User.__table__,
            [
                {"email": f"person{u:06d}@gen.example", "name": f"Person {u:06d}"}
                for u in range(regions * MEMBERS)
            ],
        )
        user_ids = list(
            conn.scalars(
                select(User.id).where(User.email.like("%@gen.example")).order_by(User.email)
            )
        )
        memberships, answers = [], []
        for r, region_id in enumerate(region_ids):
            people = user_ids[r * MEMBERS : (r + 1) * MEMBERS]
            memberships += [
                {"region_id": region_id, "user_id": uid, "role": roles[i], "category": "ngo"}
                for i, uid in enumerate(people)
            ]
            n = 0
            for step in template.steps:
                for question in step.questions:
                    n += 1
                    answers.append(
                        {
                            "region_id": region_id,
                            "step_id": step.id,
                            "question_id": question.id,
                            "value": value(question, n + r),
                            "version": 1,
                            "updated_by_id": people[30 + n % 8],
                        }
                    )
        insert(conn, Membership.__table__, memberships)
        insert(conn, Answer.__table__, answers)
        rows = conn.execute(
            select(Answer.id, Answer.value, Answer.updated_by_id).where(
                Answer.region_id.in_(region_ids)
            )
        )
        insert(
            conn,
            AnswerRevision.__table__,
            [{"answer_id": a, "version": 1, "value": v, "saved_by_id": u} for a, v, u in rows],
        )
        counts.update(regions=len(region_ids), people=len(user_ids), answers=len(answers))

        if hasattr(models, "Contribution"):
            contributions = []
            for r, region_id in enumerate(region_ids):
                people = user_ids[r * MEMBERS : (r + 1) * MEMBERS]
                for i in range(CONTRIBUTIONS):
                    step = template.steps[i % len(template.steps)]
                    contributions.append(
                        {
                            "region_id": region_id,
                            "step_id": step.id,
                            "prompt_index": None,
                            "author_id": people[i % 30],
                            "organisation": f"Organisation {i % 30}",
                            "category": "ngo",
                            "body": f"Input {i}: a *concrete* proposal.",
                        }
                    )
            insert(conn, models.Contribution.__table__, contributions)
            counts["contributions"] = len(contributions)

        if hasattr(models, "CommentThread"):
            pdf = b"%PDF-1.7 generated placeholder"
            insert(
                conn,
                models.DraftVersion.__table__,
                [
                    {
                        "region_id": region_id,
                        "number": 1,
                        "template_id": template.id,
                        "template_version": template.version,
                        "answers": {},
                        "pdf": pdf,
                        "sha256": hashlib.sha256(pdf).hexdigest(),
                        "submitted_by_id": user_ids[r * MEMBERS + 36],
                    }
                    for r, region_id in enumerate(region_ids)
                ],
            )
            versions = dict(
                conn.execute(
                    select(models.DraftVersion.region_id, models.DraftVersion.id).where(
                        models.DraftVersion.region_id.in_(region_ids)
                    )
                ).all()
            )
            threads = []
            for r, region_id in enumerate(region_ids):
                for t in range(THREADS):
                    threads.append(
                        {
                            "region_id": region_id,
                            "version_id": versions[region_id],
                            "step_id": template.steps[t % len(template.steps)].id,
                            "question_id": "",
                            "created_by_id": user_ids[r * MEMBERS + 38 + t % 2],
                        }
                    )
            insert(conn, models.CommentThread.__table__, threads)
            thread_rows = conn.execute(
                select(models.CommentThread.id, models.CommentThread.region_id).where(
                    models.CommentThread.region_id.in_(region_ids)
                )
            ).all()
            start = {rid: i for i, rid in enumerate(region_ids)}
            comments = [
                {
                    "region_id": region_id,
                    "thread_id": thread_id,
                    "author_id": user_ids[start[region_id] * MEMBERS + 30 + c],
                    "body": f"Comment {c} on this section.",
                }
                for thread_id, region_id in thread_rows
                for c in range(COMMENTS_PER_THREAD)
            ]
            insert(conn, models.Comment.__table__, comments)
            counts["comments"] = len(comments)
        conn.exec_driver_sql("ANALYZE")
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--regions", type=int, default=500)
    parser.add_argument("--duration", type=int, default=5, help="seconds per measurement")
    parser.add_argument("--rounds", type=int, default=3, help="ceiling/page turns per page")
    parser.add_argument("--clients", type=int, default=8)
    args = parser.parse_args()
    print(f"Machine: {common.machine()}; load average {os.getloadavg()[0]:.1f}")
    pages.ensure_pg_database(SCALE_URL)
    app = common.prepare_demo(SCALE_URL)
    step_id = pages.enrich(app)
    started = time.perf_counter()
    counts = generate(app, args.regions)
    took = time.perf_counter() - started
    print(
        f"Generated in {took:.0f} s: {counts['regions']} regions, {counts['people']} people, "
        f"{counts['answers']} answers, {counts['contributions']} contributions, "
        f"{counts['comments']} comments (plus the demo programme)"
    )
    pages.run(
        SCALE_URL, "PostgreSQL, large programme", step_id, args.duration, args.clients, args.rounds
    )


if __name__ == "__main__":
    main()
