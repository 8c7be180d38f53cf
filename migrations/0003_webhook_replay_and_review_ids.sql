ALTER TABLE "schemagate"."reviews" ADD COLUMN "external_id" bigint;--> statement-breakpoint
ALTER TABLE "schemagate"."webhook_deliveries" ADD COLUMN "body_sha256" text;--> statement-breakpoint
CREATE UNIQUE INDEX "reviews_proposal_external_id_key" ON "schemagate"."reviews" USING btree ("proposal_id","external_id");--> statement-breakpoint
CREATE UNIQUE INDEX "webhook_deliveries_body_sha256_key" ON "schemagate"."webhook_deliveries" USING btree ("body_sha256");