-- deploy/migrations/0003_accounts_versions_templates_views.sql: written by scripts/new-migration.sh (Marten and Wolverine db-patch) on 2026-12-06.
-- Applied once, in one transaction, by `dotnet ChartCraft.dll migrate`; {{schema}} is DATABASE_SCHEMA.
DO $$
BEGIN      IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_namespace WHERE nspname = '{{schema}}') THEN
        BEGIN
          EXECUTE 'CREATE SCHEMA IF NOT EXISTS {{schema}}';
        EXCEPTION
          WHEN duplicate_schema THEN NULL;
          WHEN unique_violation THEN NULL;
        END;
      END IF;

END
$$;


CREATE TABLE IF NOT EXISTS {{schema}}.mt_doc_accounttoken (
    id                  varchar                     NOT NULL,
    data                jsonb                       NOT NULL,
    mt_last_modified    timestamp with time zone    NULL DEFAULT (transaction_timestamp()),
    mt_version          uuid                        NOT NULL DEFAULT (md5(random()::text || clock_timestamp()::text)::uuid),
    mt_dotnet_type      varchar                     NULL,
CONSTRAINT pkey_mt_doc_accounttoken_id PRIMARY KEY (id)
);

CREATE INDEX mt_doc_accounttoken_idx_user_id ON {{schema}}.mt_doc_accounttoken USING btree ((CAST(data ->> 'user_id' as uuid)));
CREATE TABLE IF NOT EXISTS {{schema}}.mt_doc_chartdayviews (
    id                  varchar                     NOT NULL,
    data                jsonb                       NOT NULL,
    mt_last_modified    timestamp with time zone    NULL DEFAULT (transaction_timestamp()),
    mt_version          uuid                        NOT NULL DEFAULT (md5(random()::text || clock_timestamp()::text)::uuid),
    mt_dotnet_type      varchar                     NULL,
CONSTRAINT pkey_mt_doc_chartdayviews_id PRIMARY KEY (id)
);

CREATE INDEX mt_doc_chartdayviews_idx_chart_id ON {{schema}}.mt_doc_chartdayviews USING btree ((CAST(data ->> 'chart_id' as uuid)));

CREATE INDEX mt_doc_chartdayviews_idx_user_id ON {{schema}}.mt_doc_chartdayviews USING btree ((CAST(data ->> 'user_id' as uuid)));
CREATE TABLE IF NOT EXISTS {{schema}}.mt_doc_charttemplate (
    id                  uuid                        NOT NULL,
    data                jsonb                       NOT NULL,
    mt_last_modified    timestamp with time zone    NULL DEFAULT (transaction_timestamp()),
    mt_version          uuid                        NOT NULL DEFAULT (md5(random()::text || clock_timestamp()::text)::uuid),
    mt_dotnet_type      varchar                     NULL,
CONSTRAINT pkey_mt_doc_charttemplate_id PRIMARY KEY (id)
);

CREATE INDEX mt_doc_charttemplate_idx_user_id ON {{schema}}.mt_doc_charttemplate USING btree ((CAST(data ->> 'user_id' as uuid)));
CREATE INDEX mt_doc_datasource_idx_next_fetch_at ON {{schema}}.mt_doc_datasource USING btree (({{schema}}.mt_immutable_timestamptz(data ->> 'next_fetch_at')));
CREATE INDEX idx_mt_events_event_type_seq_id ON {{schema}}.mt_events USING btree (type, seq_id);
