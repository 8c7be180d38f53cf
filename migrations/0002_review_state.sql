ALTER TABLE "schemagate"."agents" ADD COLUMN "kind" text DEFAULT 'agent' NOT NULL;--> statement-breakpoint
ALTER TABLE "schemagate"."proposals" ADD COLUMN "risk_class" text;--> statement-breakpoint
ALTER TABLE "schemagate"."proposals" ADD COLUMN "migration_path" text;--> statement-breakpoint
ALTER TABLE "schemagate"."proposals" ADD COLUMN "pinned_sha" text;--> statement-breakpoint
ALTER TABLE "schemagate"."proposals" ADD COLUMN "review_url" text;--> statement-breakpoint
ALTER TABLE "schemagate"."proposals" ADD COLUMN "pull_number" integer;--> statement-breakpoint
ALTER TABLE "schemagate"."reviews" ADD COLUMN "permission" text NOT NULL;