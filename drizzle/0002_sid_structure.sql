ALTER TYPE "public"."vlm_instruction_purpose" ADD VALUE 'paper' BEFORE 'sid';--> statement-breakpoint
ALTER TYPE "public"."vlm_instruction_purpose" ADD VALUE 'selectivity';--> statement-breakpoint
ALTER TABLE "methods" ALTER COLUMN "description_case" DROP DEFAULT;--> statement-breakpoint
ALTER TABLE "methods" ALTER COLUMN "description_case" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "captions" ADD COLUMN "structure" jsonb;--> statement-breakpoint
ALTER TABLE "captions" ADD COLUMN "approved_cases" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "captions" ADD COLUMN "vlm_verdict" jsonb;