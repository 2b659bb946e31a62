"""Baseline: the whole schema as of 2026-12-07, from empty.

The development revisions before the first release (foundation schema, sign-in throttling, outbox claims,
anonymised requests, notifications, exclusion overrides, one-time form tokens, closed invitations, time zones)
are folded into this one. Its id is the last of them, so a database already at that head needs nothing; one
at an older revision is upgraded first with a checkout of f860bca (README, "Upgrading").
"""
from alembic import op
import sqlalchemy as sa
import expertnet.db

revision, down_revision = 'c4e8a2f6d1b3', None

# Creation order: every table after the tables it refers to (downgrade drops them in reverse).
TABLES = (
    'matcher_state', 'organisation', 'outbox_message', 'throttle_counter', 'topic', 'user_account',
    'assistance_request', 'audit_event', 'expert_profile', 'form_token', 'notification',
    'onboarding_invitation', 'blackout_period', 'exclusion_override', 'experience',
    'expert_conflict_organisation', 'expert_topic', 'feedback', 'invitation', 'publication', 'request_event',
    'request_message', 'request_topic', 'engagement', 'attachment', 'engagement_note', 'milestone',
)


def upgrade():
    op.create_table('matcher_state',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('data_version', sa.Integer(), nullable=False),
    sa.Column('changed_expert_ids', sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_matcher_state'))
    )
    op.create_table('organisation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('country', sa.String(length=2), nullable=False),
    sa.Column('kind', sa.Enum('law_enforcement', 'customs_border', 'regulator', 'emergency_services', 'military_defence', 'industry', 'academia_research', 'international_organisation', name='organisationkind', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('is_active', sa.Boolean(), nullable=False),
    sa.Column('created_at', expertnet.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', expertnet.db.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_organisation')),
    sa.UniqueConstraint('name', name=op.f('uq_organisation_name'))
    )
    op.create_table('outbox_message',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('recipient', sa.String(length=254), nullable=False),
    sa.Column('subject', sa.String(length=300), nullable=False),
    sa.Column('text_body', sa.Text(), nullable=False),
    sa.Column('html_body', sa.Text(), nullable=False),
    sa.Column('kind', sa.String(length=64), nullable=False),
    sa.Column('dedupe_key', sa.String(length=200), nullable=True),
    sa.Column('status', sa.Enum('queued', 'sent', 'failed', name='outboxstatus', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('last_error', sa.Text(), nullable=False),
    sa.Column('created_at', expertnet.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('sent_at', expertnet.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('next_attempt_at', expertnet.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('claim_token', sa.String(length=32), nullable=True),
    sa.Column('claimed_until', expertnet.db.UTCDateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outbox_message')),
    sa.UniqueConstraint('dedupe_key', name=op.f('uq_outbox_message_dedupe_key'))
    )
    with op.batch_alter_table('outbox_message', schema=None) as batch_op:
        batch_op.create_index('ix_outbox_message_due', ['status', 'next_attempt_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_outbox_message_status'), ['status'], unique=False)

    op.create_table('throttle_counter',
    sa.Column('scope', sa.String(length=32), nullable=False),
    sa.Column('subject', sa.String(length=254), nullable=False),
    sa.Column('events', sa.Integer(), nullable=False),
    sa.Column('last_event_at', expertnet.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('wait_until', expertnet.db.UTCDateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('scope', 'subject', name=op.f('pk_throttle_counter'))
    )
    op.create_table('topic',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=64), nullable=False),
    sa.Column('parent_id', sa.Integer(), nullable=True),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('labels', sa.JSON(), nullable=False),
    sa.Column('descriptions', sa.JSON(), nullable=False),
    sa.Column('synonyms', sa.JSON(), nullable=False),
    sa.Column('is_active', sa.Boolean(), nullable=False),
    sa.Column('created_at', expertnet.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', expertnet.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['parent_id'], ['topic.id'], name=op.f('fk_topic_parent_id_topic')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_topic')),
    sa.UniqueConstraint('slug', name=op.f('uq_topic_slug'))
    )
    with op.batch_alter_table('topic', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_topic_parent_id'), ['parent_id'], unique=False)

    op.create_table('user_account',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('full_name', sa.String(length=200), nullable=False),
    sa.Column('password_hash', sa.String(length=256), nullable=True),
    sa.Column('role', sa.Enum('member', 'coordinator', 'expert', 'admin', name='role', native_enum=False, create_constraint=True, length=16), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=True),
    sa.Column('locale', sa.String(length=8), nullable=True),
    sa.Column('time_zone', sa.String(length=64), nullable=True),
    sa.Column('is_active', sa.Boolean(), nullable=False),
    sa.Column('last_login_at', expertnet.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('session_nonce', sa.String(length=32), nullable=False),
    sa.Column('created_at', expertnet.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', expertnet.db.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint("role <> 'member' OR organisation_id IS NOT NULL", name=op.f('ck_user_account_member_has_organisation')),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_user_account_organisation_id_organisation')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_user_account')),
    sa.UniqueConstraint('email', name=op.f('uq_user_account_email'))
    )
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_user_account_organisation_id'), ['organisation_id'], unique=False)

    op.create_table('assistance_request',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('reference', sa.String(length=20), nullable=True),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('lead_coordinator_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.Enum('draft', 'submitted', 'triage', 'info_requested', 'matching', 'inviting', 'assigned', 'in_progress', 'on_hold', 'delivered', 'evaluation', 'closed', 'rejected', 'withdrawn', name='requeststatus', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('gap_statement', sa.Text(), nullable=False),
    sa.Column('annex', sa.Text(), nullable=False),
    sa.Column('desired_outcome', sa.Text(), nullable=False),
    sa.Column('gap_type', sa.Enum('knowledge', 'capability', 'both', name='gaptype', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('modality', sa.Enum('remote_advice', 'document_review', 'onsite_mission', 'training_workshop', 'exercise_design', 'equipment_lab_assessment', name='modality', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('sectors', sa.JSON(), nullable=False),
    sa.Column('languages', sa.JSON(), nullable=False),
    sa.Column('country', sa.String(length=2), nullable=True),
    sa.Column('urgency', sa.Enum('routine', 'priority', 'urgent', name='urgency', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('urgency_reason', sa.Text(), nullable=False),
    sa.Column('priority', sa.Integer(), nullable=False),
    sa.Column('start_date', sa.Date(), nullable=True),
    sa.Column('end_date', sa.Date(), nullable=True),
    sa.Column('experts_wanted', sa.Integer(), nullable=False),
    sa.Column('summary_tlp', sa.Enum('TLP:CLEAR', 'TLP:GREEN', 'TLP:AMBER', 'TLP:AMBER+STRICT', 'TLP:RED', name='summary_tlp', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('detail_tlp', sa.Enum('TLP:CLEAR', 'TLP:GREEN', 'TLP:AMBER', 'TLP:AMBER+STRICT', 'TLP:RED', name='detail_tlp', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('annex_tlp', sa.Enum('TLP:CLEAR', 'TLP:GREEN', 'TLP:AMBER', 'TLP:AMBER+STRICT', 'TLP:RED', name='annex_tlp', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('consent_statistics', sa.Boolean(), nullable=False),
    sa.Column('authorised_declaration', sa.Boolean(), nullable=False),
    sa.Column('submitted_at', expertnet.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('triaged_at', expertnet.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('first_invited_at', expertnet.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('assigned_at', expertnet.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('closed_at', expertnet.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('anonymised_at', expertnet.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('status_changed_at', expertnet.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('paused_seconds', sa.Integer(), nullable=False),
    sa.Column('paused_since', expertnet.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', expertnet.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', expertnet.db.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint('end_date IS NULL OR start_date IS NULL OR end_date >= start_date', name=op.f('ck_assistance_request_dates_ordered')),
    sa.CheckConstraint('experts_wanted BETWEEN 1 AND 10', name=op.f('ck_assistance_request_experts_wanted_range')),
    sa.ForeignKeyConstraint(['created_by_id'], ['user_account.id'], name=op.f('fk_assistance_request_created_by_id_user_account')),
    sa.ForeignKeyConstraint(['lead_coordinator_id'], ['user_account.id'], name=op.f('fk_assistance_request_lead_coordinator_id_user_account')),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_assistance_request_organisation_id_organisation')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_assistance_request')),
    sa.UniqueConstraint('reference', name=op.f('uq_assistance_request_reference'))
    )
    with op.batch_alter_table('assistance_request', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_assistance_request_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_assistance_request_status'), ['status'], unique=False)

    op.create_table('audit_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('occurred_at', expertnet.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('action', sa.String(length=64), nullable=False),
    sa.Column('object_type', sa.String(length=64), nullable=True),
    sa.Column('object_id', sa.Integer(), nullable=True),
    sa.Column('ip_address', sa.String(length=64), nullable=True),
    sa.Column('details', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['user_account.id'], name=op.f('fk_audit_event_actor_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_event'))
    )
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_event_action'), ['action'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_event_actor_id'), ['actor_id'], unique=False)
        batch_op.create_index('ix_audit_event_object', ['object_type', 'object_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_event_occurred_at'), ['occurred_at'], unique=False)

    op.create_table('expert_profile',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=True),
    sa.Column('affiliation', sa.String(length=200), nullable=False),
    sa.Column('headline', sa.String(length=200), nullable=False),
    sa.Column('biography', sa.Text(), nullable=False),
    sa.Column('expertise_statement', sa.Text(), nullable=False),
    sa.Column('application_note', sa.Text(), nullable=False),
    sa.Column('languages', sa.JSON(), nullable=False),
    sa.Column('countries', sa.JSON(), nullable=False),
    sa.Column('regions', sa.JSON(), nullable=False),
    sa.Column('conflict_countries', sa.JSON(), nullable=False),
    sa.Column('willing_to_travel', sa.Boolean(), nullable=False),
    sa.Column('capacity', sa.Integer(), nullable=False),
    sa.Column('commitments', sa.Integer(), nullable=False),
    sa.Column('availability', sa.Enum('available', 'limited', 'unavailable', name='availability', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('unavailable_until', sa.Date(), nullable=True),
    sa.Column('vetting_status', sa.Enum('pending', 'approved', 'rejected', name='vettingstatus', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('vetting_reason', sa.Text(), nullable=False),
    sa.Column('vetted_at', expertnet.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('vetted_by_id', sa.Integer(), nullable=True),
    sa.Column('deactivation_requested_at', expertnet.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('created_at', expertnet.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', expertnet.db.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint('capacity BETWEEN 0 AND 20', name=op.f('ck_expert_profile_capacity_range')),
    sa.CheckConstraint('commitments >= 0 AND commitments <= capacity', name=op.f('ck_expert_profile_commitments_within_capacity')),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_expert_profile_organisation_id_organisation')),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_expert_profile_user_id_user_account')),
    sa.ForeignKeyConstraint(['vetted_by_id'], ['user_account.id'], name=op.f('fk_expert_profile_vetted_by_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_expert_profile')),
    sa.UniqueConstraint('user_id', name=op.f('uq_expert_profile_user_id'))
    )
    with op.batch_alter_table('expert_profile', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_expert_profile_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_expert_profile_vetting_status'), ['vetting_status'], unique=False)

    op.create_table('form_token',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('purpose', sa.String(length=40), nullable=False),
    sa.Column('token', sa.String(length=64), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('target_id', sa.Integer(), nullable=True),
    sa.Column('created_at', expertnet.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_form_token_user_id_user_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_form_token')),
    sa.UniqueConstraint('purpose', 'token', name=op.f('uq_form_token_purpose_token'))
    )
    with op.batch_alter_table('form_token', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_form_token_user_id'), ['user_id'], unique=False)

    op.create_table('notification',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=64), nullable=False),
    sa.Column('facts', sa.JSON(), nullable=False),
    sa.Column('endpoint', sa.String(length=100), nullable=False),
    sa.Column('link_args', sa.JSON(), nullable=False),
    sa.Column('created_at', expertnet.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('read_at', expertnet.db.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_notification_user_id_user_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notification'))
    )
    with op.batch_alter_table('notification', schema=None) as batch_op:
        batch_op.create_index('ix_notification_user_unread', ['user_id', 'read_at'], unique=False)

    op.create_table('onboarding_invitation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('full_name', sa.String(length=200), nullable=False),
    sa.Column('role', sa.Enum('member', 'coordinator', 'expert', 'admin', name='role', native_enum=False, create_constraint=True, length=16), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=True),
    sa.Column('invited_by_id', sa.Integer(), nullable=False),
    sa.Column('expires_at', expertnet.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('accepted_at', expertnet.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('revoked_at', expertnet.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('created_at', expertnet.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', expertnet.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['invited_by_id'], ['user_account.id'], name=op.f('fk_onboarding_invitation_invited_by_id_user_account')),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_onboarding_invitation_organisation_id_organisation')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_onboarding_invitation'))
    )
    with op.batch_alter_table('onboarding_invitation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_onboarding_invitation_email'), ['email'], unique=False)

    op.create_table('blackout_period',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('expert_id', sa.Integer(), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=False),
    sa.Column('note', sa.String(length=200), nullable=False),
    sa.CheckConstraint('ends_on >= starts_on', name=op.f('ck_blackout_period_dates_ordered')),
    sa.ForeignKeyConstraint(['expert_id'], ['expert_profile.id'], name=op.f('fk_blackout_period_expert_id_expert_profile'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_blackout_period'))
    )
    with op.batch_alter_table('blackout_period', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_blackout_period_expert_id'), ['expert_id'], unique=False)

    op.create_table('exclusion_override',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('request_id', sa.Integer(), nullable=False),
    sa.Column('expert_id', sa.Integer(), nullable=False),
    sa.Column('exclusion', sa.String(length=40), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', expertnet.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['user_account.id'], name=op.f('fk_exclusion_override_created_by_id_user_account')),
    sa.ForeignKeyConstraint(['expert_id'], ['expert_profile.id'], name=op.f('fk_exclusion_override_expert_id_expert_profile')),
    sa.ForeignKeyConstraint(['request_id'], ['assistance_request.id'], name=op.f('fk_exclusion_override_request_id_assistance_request'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_exclusion_override')),
    sa.UniqueConstraint('request_id', 'expert_id', name=op.f('uq_exclusion_override_request_id_expert_id'))
    )
    with op.batch_alter_table('exclusion_override', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_exclusion_override_expert_id'), ['expert_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_exclusion_override_request_id'), ['request_id'], unique=False)

    op.create_table('experience',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('expert_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.String(length=200), nullable=False),
    sa.Column('organisation', sa.String(length=200), nullable=False),
    sa.Column('start_year', sa.Integer(), nullable=False),
    sa.Column('end_year', sa.Integer(), nullable=True),
    sa.Column('description', sa.Text(), nullable=False),
    sa.CheckConstraint('end_year IS NULL OR end_year >= start_year', name=op.f('ck_experience_years_ordered')),
    sa.ForeignKeyConstraint(['expert_id'], ['expert_profile.id'], name=op.f('fk_experience_expert_id_expert_profile'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_experience'))
    )
    with op.batch_alter_table('experience', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_experience_expert_id'), ['expert_id'], unique=False)

    op.create_table('expert_conflict_organisation',
    sa.Column('expert_id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['expert_id'], ['expert_profile.id'], name=op.f('fk_expert_conflict_organisation_expert_id_expert_profile'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_expert_conflict_organisation_organisation_id_organisation')),
    sa.PrimaryKeyConstraint('expert_id', 'organisation_id', name=op.f('pk_expert_conflict_organisation'))
    )
    op.create_table('expert_topic',
    sa.Column('expert_id', sa.Integer(), nullable=False),
    sa.Column('topic_id', sa.Integer(), nullable=False),
    sa.Column('level', sa.Enum('awareness', 'practitioner', 'expert', name='topiclevel', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.ForeignKeyConstraint(['expert_id'], ['expert_profile.id'], name=op.f('fk_expert_topic_expert_id_expert_profile'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['topic_id'], ['topic.id'], name=op.f('fk_expert_topic_topic_id_topic')),
    sa.PrimaryKeyConstraint('expert_id', 'topic_id', name=op.f('pk_expert_topic'))
    )
    op.create_table('feedback',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('request_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('usefulness', sa.Integer(), nullable=False),
    sa.Column('timeliness', sa.Integer(), nullable=False),
    sa.Column('expertise', sa.Integer(), nullable=False),
    sa.Column('comment', sa.Text(), nullable=False),
    sa.Column('created_at', expertnet.db.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint('usefulness BETWEEN 1 AND 5 AND timeliness BETWEEN 1 AND 5 AND expertise BETWEEN 1 AND 5', name=op.f('ck_feedback_ratings_range')),
    sa.ForeignKeyConstraint(['author_id'], ['user_account.id'], name=op.f('fk_feedback_author_id_user_account')),
    sa.ForeignKeyConstraint(['request_id'], ['assistance_request.id'], name=op.f('fk_feedback_request_id_assistance_request'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_feedback')),
    sa.UniqueConstraint('request_id', name=op.f('uq_feedback_request_id'))
    )
    op.create_table('invitation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('request_id', sa.Integer(), nullable=False),
    sa.Column('expert_id', sa.Integer(), nullable=False),
    sa.Column('invited_by_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('pending', 'accepted', 'declined', 'expired', 'revoked', 'conflict_declared', name='invitationstatus', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('message', sa.Text(), nullable=False),
    sa.Column('respond_by', expertnet.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('responded_at', expertnet.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('decline_reason', sa.Enum('conflict', 'no_capacity', 'out_of_expertise', 'dates', 'other', name='declinereason', native_enum=False, create_constraint=True, length=32), nullable=True),
    sa.Column('decline_note', sa.Text(), nullable=False),
    sa.Column('match_score', sa.Double(), nullable=True),
    sa.Column('terms_version', sa.String(length=16), nullable=True),
    sa.Column('terms_accepted_at', expertnet.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('reminder_sent_at', expertnet.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('closed_because', sa.Enum('request_closed', 'request_withdrawn', 'request_rejected', 'request_filled', name='closedbecause', native_enum=False, create_constraint=True, length=32), nullable=True),
    sa.Column('created_at', expertnet.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', expertnet.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['expert_id'], ['expert_profile.id'], name=op.f('fk_invitation_expert_id_expert_profile')),
    sa.ForeignKeyConstraint(['invited_by_id'], ['user_account.id'], name=op.f('fk_invitation_invited_by_id_user_account')),
    sa.ForeignKeyConstraint(['request_id'], ['assistance_request.id'], name=op.f('fk_invitation_request_id_assistance_request'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_invitation')),
    sa.UniqueConstraint('request_id', 'expert_id', name=op.f('uq_invitation_request_id_expert_id'))
    )
    with op.batch_alter_table('invitation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_invitation_expert_id'), ['expert_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_invitation_request_id'), ['request_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_invitation_status'), ['status'], unique=False)

    op.create_table('publication',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('expert_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('publication', 'training', name='publicationkind', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('year', sa.Integer(), nullable=True),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['expert_id'], ['expert_profile.id'], name=op.f('fk_publication_expert_id_expert_profile'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_publication'))
    )
    with op.batch_alter_table('publication', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_publication_expert_id'), ['expert_id'], unique=False)

    op.create_table('request_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('request_id', sa.Integer(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('from_status', sa.String(length=32), nullable=True),
    sa.Column('to_status', sa.String(length=32), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('occurred_at', expertnet.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['user_account.id'], name=op.f('fk_request_event_actor_id_user_account')),
    sa.ForeignKeyConstraint(['request_id'], ['assistance_request.id'], name=op.f('fk_request_event_request_id_assistance_request'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_request_event'))
    )
    with op.batch_alter_table('request_event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_request_event_request_id'), ['request_id'], unique=False)

    op.create_table('request_message',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('request_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('internal', sa.Boolean(), nullable=False),
    sa.Column('created_at', expertnet.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['user_account.id'], name=op.f('fk_request_message_author_id_user_account')),
    sa.ForeignKeyConstraint(['request_id'], ['assistance_request.id'], name=op.f('fk_request_message_request_id_assistance_request'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_request_message'))
    )
    with op.batch_alter_table('request_message', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_request_message_request_id'), ['request_id'], unique=False)

    op.create_table('request_topic',
    sa.Column('request_id', sa.Integer(), nullable=False),
    sa.Column('topic_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['request_id'], ['assistance_request.id'], name=op.f('fk_request_topic_request_id_assistance_request'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['topic_id'], ['topic.id'], name=op.f('fk_request_topic_topic_id_topic')),
    sa.PrimaryKeyConstraint('request_id', 'topic_id', name=op.f('pk_request_topic'))
    )
    op.create_table('engagement',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('invitation_id', sa.Integer(), nullable=False),
    sa.Column('request_id', sa.Integer(), nullable=False),
    sa.Column('expert_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('planned', 'active', 'report_submitted', 'report_accepted', 'closed', 'suspended', 'withdrawn', name='engagementstatus', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('planned_start', sa.Date(), nullable=True),
    sa.Column('planned_end', sa.Date(), nullable=True),
    sa.Column('days_spent', sa.Double(), nullable=True),
    sa.Column('completion_report', sa.Text(), nullable=False),
    sa.Column('report_submitted_at', expertnet.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('report_accepted_at', expertnet.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('closed_at', expertnet.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('withdrawal_reason', sa.Text(), nullable=False),
    sa.Column('created_at', expertnet.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', expertnet.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['expert_id'], ['expert_profile.id'], name=op.f('fk_engagement_expert_id_expert_profile')),
    sa.ForeignKeyConstraint(['invitation_id'], ['invitation.id'], name=op.f('fk_engagement_invitation_id_invitation')),
    sa.ForeignKeyConstraint(['request_id'], ['assistance_request.id'], name=op.f('fk_engagement_request_id_assistance_request'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_engagement')),
    sa.UniqueConstraint('invitation_id', name=op.f('uq_engagement_invitation_id'))
    )
    with op.batch_alter_table('engagement', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_engagement_expert_id'), ['expert_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_engagement_request_id'), ['request_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_engagement_status'), ['status'], unique=False)

    op.create_table('attachment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('request_id', sa.Integer(), nullable=False),
    sa.Column('engagement_id', sa.Integer(), nullable=True),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=False),
    sa.Column('filename', sa.String(length=255), nullable=False),
    sa.Column('content_type', sa.String(length=100), nullable=False),
    sa.Column('size_bytes', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('storage_key', sa.String(length=80), nullable=False),
    sa.Column('tlp', sa.Enum('TLP:CLEAR', 'TLP:GREEN', 'TLP:AMBER', 'TLP:AMBER+STRICT', 'TLP:RED', name='tlp', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('created_at', expertnet.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['engagement_id'], ['engagement.id'], name=op.f('fk_attachment_engagement_id_engagement')),
    sa.ForeignKeyConstraint(['request_id'], ['assistance_request.id'], name=op.f('fk_attachment_request_id_assistance_request'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['user_account.id'], name=op.f('fk_attachment_uploaded_by_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_attachment')),
    sa.UniqueConstraint('storage_key', name=op.f('uq_attachment_storage_key'))
    )
    with op.batch_alter_table('attachment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_attachment_engagement_id'), ['engagement_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_attachment_request_id'), ['request_id'], unique=False)

    op.create_table('engagement_note',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('engagement_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('created_at', expertnet.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['user_account.id'], name=op.f('fk_engagement_note_author_id_user_account')),
    sa.ForeignKeyConstraint(['engagement_id'], ['engagement.id'], name=op.f('fk_engagement_note_engagement_id_engagement'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_engagement_note'))
    )
    with op.batch_alter_table('engagement_note', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_engagement_note_engagement_id'), ['engagement_id'], unique=False)

    op.create_table('milestone',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('engagement_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=True),
    sa.Column('done_at', expertnet.db.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['engagement_id'], ['engagement.id'], name=op.f('fk_milestone_engagement_id_engagement'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_milestone'))
    )
    with op.batch_alter_table('milestone', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_milestone_engagement_id'), ['engagement_id'], unique=False)


def downgrade():
    for table in reversed(TABLES):
        op.drop_table(table)
