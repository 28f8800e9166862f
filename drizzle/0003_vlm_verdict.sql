ALTER TYPE "public"."vlm_instruction_purpose" ADD VALUE 'selectivity';--> statement-breakpoint
ALTER TABLE "captions" ADD COLUMN "vlm_verdict" jsonb;