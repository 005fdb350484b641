-- deploy/migrations/0002_add_scheduled_runs.sql: written by scripts/new-migration.sh (Marten and Wolverine db-patch) on 2026-12-06.
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


CREATE TABLE IF NOT EXISTS {{schema}}.mt_doc_scheduledrun (
    id                  varchar                     NOT NULL,
    data                jsonb                       NOT NULL,
    mt_last_modified    timestamp with time zone    NULL DEFAULT (transaction_timestamp()),
    mt_version          uuid                        NOT NULL DEFAULT (md5(random()::text || clock_timestamp()::text)::uuid),
    mt_dotnet_type      varchar                     NULL,
CONSTRAINT pkey_mt_doc_scheduledrun_id PRIMARY KEY (id)
);
