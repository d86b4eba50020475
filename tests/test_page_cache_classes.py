"""Every model says what a write to it makes stale among kept pages (belong/models/base.py),
and the one flush hook (belong/models/revisions.py) follows what it says."""

from __future__ import annotations

from sqlalchemy import event

from belong.extensions import db
from belong.models import Region, Role, User
from belong.models.base import NotShown, ShownEverywhere, ShownInRegion
from belong.models.revisions import _revisions
from belong.services import answers

KINDS = (ShownInRegion, ShownEverywhere, NotShown)


def unclassified(models: list[type]) -> list[str]:
    return sorted(m.__name__ for m in models if sum(issubclass(m, kind) for kind in KINDS) != 1)


def test_every_model_is_shown_not_shown_or_programme_wide():
    models = [mapper.class_ for mapper in db.Model.registry.mappers]
    assert len(models) >= 20
    missing = unclassified(models)
    assert not missing, f"say whether pages show these (belong/models/base.py): {missing}"
    for model in models:
        if issubclass(model, ShownInRegion) and model is not Region:
            assert "region_id" in model.__table__.c, model.__name__
        if issubclass(model, ShownEverywhere):
            assert model.shown_fields, model.__name__
            assert all(f in model.__table__.c for f in model.shown_fields), model.__name__


def test_a_model_marked_neither_or_twice_is_reported():
    class Unsorted:
        pass

    class Twice(NotShown, ShownInRegion):
        pass

    assert unclassified([Unsorted, Twice, Region]) == ["Twice", "Unsorted"]


def test_one_flush_hook_bound_to_the_apps_session_keeps_the_revisions(app, make):
    from sqlalchemy.orm import Session

    assert event.contains(db.session, "after_flush", _revisions)
    assert not event.contains(Session, "after_flush", _revisions)  # other sessions are left alone
    region = make.region("alpha")
    coordinator = make.user(Role.COORDINATOR, region)
    revisions = (region.content_revision, region.answers_revision)
    answers.set_answer(region, "basics", "lead", "Lead", coordinator)
    db.session.commit()
    db.session.expire_all()
    region = db.session.get(Region, region.id)
    assert (region.content_revision, region.answers_revision) == (
        revisions[0] + 1,
        revisions[1] + 1,
    )
    db.session.get(User, coordinator.id).name = "Renamed"  # shown wherever their name is
    db.session.commit()
    db.session.expire_all()
    assert db.session.get(Region, region.id).content_revision == revisions[0] + 2
