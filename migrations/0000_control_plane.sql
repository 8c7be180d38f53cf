CREATE SCHEMA "schemagate";
--> statement-breakpoint
CREATE TABLE "schemagate"."agents" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"token_hash" text NOT NULL,
	"token_prefix" text NOT NULL,
	"scopes" text[] NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_used_at" timestamp with time zone,
	"revoked_at" timestamp with time zone,
	CONSTRAINT "agents_token_hash_unique" UNIQUE("token_hash")
);
--> statement-breakpoint
CREATE TABLE "schemagate"."audit_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"proposal_id" uuid,
	"type" text NOT NULL,
	"from_status" text,
	"to_status" text,
	"actor" text NOT NULL,
	"data" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "schemagate"."preview_runs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"proposal_id" uuid NOT NULL,
	"revision" integer NOT NULL,
	"status" text NOT NULL,
	"production_head" text,
	"result" jsonb,
	"claimed_by" text,
	"claim_expires_at" timestamp with time zone,
	"attempts" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "schemagate"."promotions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"proposal_id" uuid NOT NULL,
	"revision" integer NOT NULL,
	"sha256" text NOT NULL,
	"status" text NOT NULL,
	"result" jsonb,
	"claimed_by" text,
	"claim_expires_at" timestamp with time zone,
	"attempts" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "schemagate"."proposal_revisions" (
	"proposal_id" uuid NOT NULL,
	"number" integer NOT NULL,
	"sql" text NOT NULL,
	"down_sql" text,
	"sha256" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "proposal_revisions_proposal_id_number_pk" PRIMARY KEY("proposal_id","number"),
	CONSTRAINT "revision_number_positive" CHECK ("schemagate"."proposal_revisions"."number" > 0)
);
--> statement-breakpoint
CREATE TABLE "schemagate"."proposals" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"seq" bigserial NOT NULL,
	"agent_id" uuid NOT NULL,
	"title" text NOT NULL,
	"description" text,
	"name" text NOT NULL,
	"status" text NOT NULL,
	"current_revision" integer NOT NULL,
	"idempotency_key" text,
	"request_hash" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "proposals_seq_unique" UNIQUE("seq")
);
--> statement-breakpoint
CREATE TABLE "schemagate"."rate_limits" (
	"agent_id" uuid NOT NULL,
	"window_start" bigint NOT NULL,
	"count" integer NOT NULL,
	CONSTRAINT "rate_limits_agent_id_window_start_pk" PRIMARY KEY("agent_id","window_start")
);
--> statement-breakpoint
CREATE TABLE "schemagate"."reviews" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"proposal_id" uuid NOT NULL,
	"revision" integer NOT NULL,
	"reviewer" text NOT NULL,
	"state" text NOT NULL,
	"commit_sha" text,
	"source" text NOT NULL,
	"body" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "schemagate"."webhook_deliveries" (
	"delivery_id" text PRIMARY KEY NOT NULL,
	"event" text NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	"processed_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "schemagate"."audit_events" ADD CONSTRAINT "audit_events_proposal_id_proposals_id_fk" FOREIGN KEY ("proposal_id") REFERENCES "schemagate"."proposals"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "schemagate"."preview_runs" ADD CONSTRAINT "preview_runs_proposal_id_proposals_id_fk" FOREIGN KEY ("proposal_id") REFERENCES "schemagate"."proposals"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "schemagate"."promotions" ADD CONSTRAINT "promotions_proposal_id_proposals_id_fk" FOREIGN KEY ("proposal_id") REFERENCES "schemagate"."proposals"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "schemagate"."proposal_revisions" ADD CONSTRAINT "proposal_revisions_proposal_id_proposals_id_fk" FOREIGN KEY ("proposal_id") REFERENCES "schemagate"."proposals"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "schemagate"."proposals" ADD CONSTRAINT "proposals_agent_id_agents_id_fk" FOREIGN KEY ("agent_id") REFERENCES "schemagate"."agents"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "schemagate"."rate_limits" ADD CONSTRAINT "rate_limits_agent_id_agents_id_fk" FOREIGN KEY ("agent_id") REFERENCES "schemagate"."agents"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "schemagate"."reviews" ADD CONSTRAINT "reviews_proposal_id_proposals_id_fk" FOREIGN KEY ("proposal_id") REFERENCES "schemagate"."proposals"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "agents_active_name_key" ON "schemagate"."agents" USING btree ("name") WHERE "schemagate"."agents"."revoked_at" is null;--> statement-breakpoint
CREATE INDEX "audit_events_proposal" ON "schemagate"."audit_events" USING btree ("proposal_id","id");--> statement-breakpoint
CREATE INDEX "preview_runs_proposal" ON "schemagate"."preview_runs" USING btree ("proposal_id","revision");--> statement-breakpoint
CREATE INDEX "promotions_proposal" ON "schemagate"."promotions" USING btree ("proposal_id");--> statement-breakpoint
CREATE UNIQUE INDEX "proposals_agent_idempotency_key" ON "schemagate"."proposals" USING btree ("agent_id","idempotency_key");--> statement-breakpoint
CREATE INDEX "proposals_status_seq" ON "schemagate"."proposals" USING btree ("status","seq");--> statement-breakpoint
CREATE INDEX "reviews_proposal" ON "schemagate"."reviews" USING btree ("proposal_id","revision");