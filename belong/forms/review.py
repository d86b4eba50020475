"""Forms of the review cycle: submit, comment, reply, edit, verdict, mail preference."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, HiddenField, RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from belong.forms.base import BelongForm

COMMENT_MAX = 10_000


class SubmitVersionForm(BelongForm):
    message = StringField(
        _l("Message for the reviewers"),
        description=_l("One line on what changed or what to look at. Optional."),
        validators=[Optional(), Length(max=300)],
    )


class CommentForm(BelongForm):
    anchor = SelectField(
        _l("Section"),
        description=_l("The step, or the question within it, that your comment is about."),
        validators=[InputRequired(message=_l("Choose the section your comment is about."))],
    )
    body = TextAreaField(
        _l("Comment"),
        description=_l("Markdown works: **bold**, *italic*, lists and links."),
        validators=[DataRequired(message=_l("Write your comment.")), Length(max=COMMENT_MAX)],
    )


class ReplyForm(BelongForm):
    body = TextAreaField(
        _l("Reply"),
        validators=[DataRequired(message=_l("Write your reply.")), Length(max=COMMENT_MAX)],
    )


class EditCommentForm(BelongForm):
    body = TextAreaField(
        _l("Comment"),
        description=_l("The earlier text is kept and the comment is marked as edited."),
        validators=[DataRequired(message=_l("Write your comment.")), Length(max=COMMENT_MAX)],
    )


class VerdictForm(BelongForm):
    decision = RadioField(
        _l("Your verdict"),
        description=_l("Approve when the version can be released as it is."),
        choices=[
            SelectChoice("approve", _l("Approve this version")),
            SelectChoice("changes", _l("Request changes")),
        ],
        validators=[InputRequired(message=_l("Choose approve or request changes."))],
    )
    summary = TextAreaField(
        _l("Summary"),
        description=_l("What the team should know about your verdict."),
        id="verdict-summary",  # the version's document, shown on the same page, has a #summary
        validators=[DataRequired(message=_l("Write a short summary.")), Length(max=COMMENT_MAX)],
    )


class MailPreferenceForm(BelongForm):
    mode = RadioField(
        _l("E-mail me"),
        description=_l("Notifications always appear on this page as well."),
        choices=[
            SelectChoice("immediate", _l("Each notification as it happens")),
            SelectChoice("daily", _l("One daily digest")),
            SelectChoice("none", _l("No e-mail; I read notifications here")),
        ],
        validators=[InputRequired()],
    )


class ReleaseForm(BelongForm):
    """The release confirmation; with open review threads, releasing needs a tick (its label
    names how many: belong/views/review.py)."""

    accept_open = BooleanField()
    open_seen = HiddenField()  # how many open threads the page showed
