ALTER TABLE "studies" ADD COLUMN "attention_checks" integer DEFAULT 2 NOT NULL;--> statement-breakpoint
ALTER TABLE "studies" ADD COLUMN "preregistration" jsonb;--> statement-breakpoint
ALTER TABLE "studies" ADD COLUMN "preregistration_hash" text;