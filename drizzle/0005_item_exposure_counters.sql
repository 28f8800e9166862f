ALTER TABLE "items" ADD COLUMN "exposures" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "items" ADD COLUMN "a_left" integer DEFAULT 0 NOT NULL;