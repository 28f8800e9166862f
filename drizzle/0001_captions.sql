CREATE TYPE "public"."caption_status" AS ENUM('pending', 'failed', 'review', 'approved', 'rejected');--> statement-breakpoint
CREATE TYPE "public"."vlm_instruction_purpose" AS ENUM('sid', 'style', 'expression');--> statement-breakpoint
CREATE TABLE "caption_history" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"reference_image_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"action" text NOT NULL,
	"source" text NOT NULL,
	"user_id" uuid,
	"model" text,
	"before" jsonb,
	"after" jsonb,
	"reason" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "captions" (
	"reference_image_id" uuid PRIMARY KEY NOT NULL,
	"status" "caption_status" DEFAULT 'pending' NOT NULL,
	"version" integer DEFAULT 0 NOT NULL,
	"case_two" text,
	"sid" text,
	"case_four" text,
	"undesired_objects" jsonb,
	"expression" text,
	"flags" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"override_reason" text,
	"reject_reason" text,
	"draft_error" text,
	"model" text,
	"instruction_id" uuid,
	"draft_job_id" uuid,
	"suggested_expression" text,
	"lease_user_id" uuid,
	"lease_expires_at" timestamp with time zone,
	"updated_by" uuid,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"approved_by" uuid,
	"approved_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "vlm_calls" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"reference_image_id" uuid,
	"job_id" uuid,
	"purpose" "vlm_instruction_purpose" NOT NULL,
	"model" text NOT NULL,
	"instruction_id" uuid,
	"ok" boolean NOT NULL,
	"error" text,
	"prompt_tokens" integer DEFAULT 0 NOT NULL,
	"completion_tokens" integer DEFAULT 0 NOT NULL,
	"total_tokens" integer DEFAULT 0 NOT NULL,
	"duration_ms" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "vlm_instructions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"purpose" "vlm_instruction_purpose" NOT NULL,
	"version" integer NOT NULL,
	"text" text NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "vlm_instructions_purpose_version_unique" UNIQUE("purpose","version")
);
--> statement-breakpoint
ALTER TABLE "caption_history" ADD CONSTRAINT "caption_history_reference_image_id_reference_images_id_fk" FOREIGN KEY ("reference_image_id") REFERENCES "public"."reference_images"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "caption_history" ADD CONSTRAINT "caption_history_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "captions" ADD CONSTRAINT "captions_reference_image_id_reference_images_id_fk" FOREIGN KEY ("reference_image_id") REFERENCES "public"."reference_images"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "captions" ADD CONSTRAINT "captions_instruction_id_vlm_instructions_id_fk" FOREIGN KEY ("instruction_id") REFERENCES "public"."vlm_instructions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "captions" ADD CONSTRAINT "captions_lease_user_id_users_id_fk" FOREIGN KEY ("lease_user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "captions" ADD CONSTRAINT "captions_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "captions" ADD CONSTRAINT "captions_approved_by_users_id_fk" FOREIGN KEY ("approved_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "vlm_calls" ADD CONSTRAINT "vlm_calls_reference_image_id_reference_images_id_fk" FOREIGN KEY ("reference_image_id") REFERENCES "public"."reference_images"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "vlm_calls" ADD CONSTRAINT "vlm_calls_instruction_id_vlm_instructions_id_fk" FOREIGN KEY ("instruction_id") REFERENCES "public"."vlm_instructions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "vlm_instructions" ADD CONSTRAINT "vlm_instructions_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "caption_history_reference_image_id_index" ON "caption_history" USING btree ("reference_image_id");--> statement-breakpoint
CREATE INDEX "captions_status_index" ON "captions" USING btree ("status");--> statement-breakpoint
CREATE INDEX "vlm_calls_reference_image_id_index" ON "vlm_calls" USING btree ("reference_image_id");