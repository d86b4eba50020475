"""Database models, one module per part of the domain."""

from belong.models.activity import AuditEvent, Notification
from belong.models.adoption import Adoption
from belong.models.answer import Answer, AnswerRevision
from belong.models.api_token import ApiToken
from belong.models.assessment import AssessmentSnapshot
from belong.models.consultation import CommentResponse, Consultation, Moderation, PublicComment
from belong.models.contribution import Contribution, ContributionStatus
from belong.models.kept_form import KeptForm
from belong.models.publication import PublicationImage, PublicationSettings
from belong.models.rate_limit import RateLimitCount
from belong.models.record import Record, RecordRevision
from belong.models.region import Membership, Region, Role
from belong.models.review import (
    Comment,
    CommentEdit,
    CommentThread,
    DraftVersion,
    MailPreference,
    OutboxMessage,
    ReviewRequest,
    ReviewStatus,
)
from belong.models.summary import RegionSummary
from belong.models.user import Token, User

# The flush hook that keeps the regions' revisions, registered with the models it watches.
from belong.models import revisions  # noqa: F401  isort: skip

__all__ = [
    "Adoption",
    "Answer",
    "AnswerRevision",
    "ApiToken",
    "AssessmentSnapshot",
    "AuditEvent",
    "Comment",
    "CommentEdit",
    "CommentResponse",
    "CommentThread",
    "Consultation",
    "Contribution",
    "ContributionStatus",
    "DraftVersion",
    "KeptForm",
    "MailPreference",
    "Membership",
    "Moderation",
    "Notification",
    "OutboxMessage",
    "PublicComment",
    "PublicationImage",
    "PublicationSettings",
    "RateLimitCount",
    "Record",
    "RecordRevision",
    "Region",
    "RegionSummary",
    "ReviewRequest",
    "ReviewStatus",
    "Role",
    "Token",
    "User",
]
