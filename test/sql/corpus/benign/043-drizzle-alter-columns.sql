ALTER TABLE "labels" ADD COLUMN "description" text;--> statement-breakpoint
ALTER TABLE "labels" ADD COLUMN "archived_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "labels" ALTER COLUMN "color" SET DEFAULT '#666666';--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "labels_archived_at_idx" ON "labels" USING btree ("archived_at") WHERE "labels"."archived_at" IS NULL;
