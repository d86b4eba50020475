"""review: draft versions, review requests, comment threads, mail outbox

Revision ID: 0004
Revises: 0002
Create Date: 2026-11-28 04:30:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0002"
branch_labels = None
depends_on = None


def _fk(table, column, target, ondelete):
    return sa.ForeignKeyConstraint(
        [column], [f"{target}.id"], name=f"fk_{table}_{column}_{target}", ondelete=ondelete
    )


def upgrade():
    op.create_table(
        "draft_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("region_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("template_id", sa.String(length=60), nullable=False),
        sa.Column("template_version", sa.Integer(), nullable=False),
        sa.Column("answers", sa.JSON(), nullable=False),
        sa.Column("pdf", sa.LargeBinary(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("submitted_by_id", sa.Integer(), nullable=True),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("released_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("released_by_id", sa.Integer(), nullable=True),
        sa.Column("released_pdf", sa.LargeBinary(), nullable=True),
        sa.Column("released_sha256", sa.String(length=64), nullable=True),
        sa.Column("approvers", sa.JSON(), nullable=True),
        _fk("draft_versions", "region_id", "regions", "CASCADE"),
        _fk("draft_versions", "submitted_by_id", "users", "SET NULL"),
        _fk("draft_versions", "released_by_id", "users", "SET NULL"),
        sa.PrimaryKeyConstraint("id", name="pk_draft_versions"),
        sa.UniqueConstraint("region_id", "number", name="uq_draft_versions_region_id"),
    )
    op.create_index("ix_draft_versions_region_id", "draft_versions", ["region_id"])

    op.create_table(
        "review_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("region_id", sa.Integer(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("reviewer_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        _fk("review_requests", "region_id", "regions", "CASCADE"),
        _fk("review_requests", "version_id", "draft_versions", "CASCADE"),
        _fk("review_requests", "reviewer_id", "users", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name="pk_review_requests"),
        sa.UniqueConstraint("version_id", "reviewer_id", name="uq_review_requests_version_id"),
    )
    op.create_index("ix_review_requests_region_id", "review_requests", ["region_id"])
    op.create_index("ix_review_requests_version_id", "review_requests", ["version_id"])

    op.create_table(
        "comment_threads",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("region_id", sa.Integer(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("step_id", sa.String(length=60), nullable=False),
        sa.Column("question_id", sa.String(length=60), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("resolved_by_id", sa.Integer(), nullable=True),
        _fk("comment_threads", "region_id", "regions", "CASCADE"),
        _fk("comment_threads", "version_id", "draft_versions", "CASCADE"),
        _fk("comment_threads", "created_by_id", "users", "SET NULL"),
        _fk("comment_threads", "resolved_by_id", "users", "SET NULL"),
        sa.PrimaryKeyConstraint("id", name="pk_comment_threads"),
    )
    op.create_index("ix_comment_threads_region_id", "comment_threads", ["region_id"])
    op.create_index("ix_comment_threads_version_id", "comment_threads", ["version_id"])

    op.create_table(
        "comments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("region_id", sa.Integer(), nullable=False),
        sa.Column("thread_id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("edited_at", sa.DateTime(timezone=True), nullable=True),
        _fk("comments", "region_id", "regions", "CASCADE"),
        _fk("comments", "thread_id", "comment_threads", "CASCADE"),
        _fk("comments", "author_id", "users", "SET NULL"),
        sa.PrimaryKeyConstraint("id", name="pk_comments"),
    )
    op.create_index("ix_comments_region_id", "comments", ["region_id"])
    op.create_index("ix_comments_thread_id", "comments", ["thread_id"])

    op.create_table(
        "comment_edits",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("region_id", sa.Integer(), nullable=False),
        sa.Column("comment_id", sa.Integer(), nullable=False),
        sa.Column("previous_body", sa.Text(), nullable=False),
        sa.Column("edited_at", sa.DateTime(timezone=True), nullable=False),
        _fk("comment_edits", "region_id", "regions", "CASCADE"),
        _fk("comment_edits", "comment_id", "comments", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name="pk_comment_edits"),
    )
    op.create_index("ix_comment_edits_region_id", "comment_edits", ["region_id"])
    op.create_index("ix_comment_edits_comment_id", "comment_edits", ["comment_id"])

    op.create_table(
        "mail_preferences",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("mode", sa.String(length=20), nullable=False),
        _fk("mail_preferences", "user_id", "users", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name="pk_mail_preferences"),
        sa.UniqueConstraint("user_id", name="uq_mail_preferences_user_id"),
    )

    op.create_table(
        "mail_outbox",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("to_address", sa.String(length=254), nullable=False),
        sa.Column("subject", sa.String(length=200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("error", sa.Text(), nullable=False),
        _fk("mail_outbox", "user_id", "users", "SET NULL"),
        sa.PrimaryKeyConstraint("id", name="pk_mail_outbox"),
    )
    op.create_index("ix_mail_outbox_user_id", "mail_outbox", ["user_id"])


def downgrade():
    op.drop_index("ix_mail_outbox_user_id", table_name="mail_outbox")
    op.drop_table("mail_outbox")
    op.drop_table("mail_preferences")
    for table, columns in (
        ("comment_edits", ("region_id", "comment_id")),
        ("comments", ("region_id", "thread_id")),
        ("comment_threads", ("region_id", "version_id")),
        ("review_requests", ("region_id", "version_id")),
        ("draft_versions", ("region_id",)),
    ):
        for column in columns:
            op.drop_index(f"ix_{table}_{column}", table_name=table)
        op.drop_table(table)
