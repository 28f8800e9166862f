CREATE TYPE "public"."choice" AS ENUM('left', 'right', 'undecided');--> statement-breakpoint
CREATE TYPE "public"."study_state" AS ENUM('draft', 'open', 'paused', 'closed');--> statement-breakpoint
CREATE TABLE "assignments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"participant_id" uuid NOT NULL,
	"item_id" uuid NOT NULL,
	"position" integer NOT NULL,
	"left_sample_id" uuid NOT NULL,
	"right_sample_id" uuid NOT NULL,
	CONSTRAINT "assignments_participantId_itemId_unique" UNIQUE("participant_id","item_id"),
	CONSTRAINT "assignments_participantId_position_unique" UNIQUE("participant_id","position")
);
--> statement-breakpoint
CREATE TABLE "items" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"study_id" uuid NOT NULL,
	"subject_id" uuid NOT NULL,
	"prompt" text NOT NULL,
	"sample_a_id" uuid NOT NULL,
	"sample_b_id" uuid NOT NULL,
	CONSTRAINT "items_studyId_sampleAId_sampleBId_unique" UNIQUE("study_id","sample_a_id","sample_b_id")
);
--> statement-breakpoint
CREATE TABLE "participant_tokens" (
	"token_hash" text PRIMARY KEY NOT NULL,
	"participant_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "participants" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"study_id" uuid NOT NULL,
	"pseudonym" text NOT NULL,
	"external_id" text,
	"external_ids" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"link_token_hash" text,
	"preview" boolean DEFAULT false NOT NULL,
	"consented_at" timestamp with time zone,
	"started_at" timestamp with time zone,
	"completed_at" timestamp with time zone,
	"attention_failed" boolean,
	"speeder" boolean,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "participants_linkTokenHash_unique" UNIQUE("link_token_hash"),
	CONSTRAINT "participants_studyId_externalId_unique" UNIQUE("study_id","external_id")
);
--> statement-breakpoint
CREATE TABLE "responses" (
	"id" uuid PRIMARY KEY NOT NULL,
	"assignment_id" uuid NOT NULL,
	"question" text NOT NULL,
	"choice" "choice" NOT NULL,
	"chosen_method_id" uuid,
	"client_ms" integer NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "responses_assignmentId_question_unique" UNIQUE("assignment_id","question")
);
--> statement-breakpoint
CREATE TABLE "studies" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"slug" text NOT NULL,
	"title" text NOT NULL,
	"instructions" text DEFAULT '' NOT NULL,
	"consent" text DEFAULT '' NOT NULL,
	"state" "study_state" DEFAULT 'draft' NOT NULL,
	"subjects_per_participant" integer DEFAULT 10 NOT NULL,
	"target_completions" integer,
	"completion_code" text DEFAULT '' NOT NULL,
	"redirect_url" text,
	"speeder_ms_per_question" integer DEFAULT 1500 NOT NULL,
	"attention_check" boolean DEFAULT false NOT NULL,
	"attention_answer" "choice" DEFAULT 'undecided' NOT NULL,
	"questions" jsonb DEFAULT '[{"key":"subject","text":"Which image shows the subject more faithfully, compared with the reference images?"},{"key":"disentanglement","text":"Which image is less influenced by things in the reference images that are not the subject (background, other objects)?"},{"key":"text","text":"Which image matches the text prompt better?"},{"key":"overall","text":"Overall, which image do you prefer?"}]'::jsonb NOT NULL,
	"stand_in_images" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "studies_slug_unique" UNIQUE("slug")
);
--> statement-breakpoint
CREATE TABLE "study_methods" (
	"study_id" uuid NOT NULL,
	"method_id" uuid NOT NULL,
	"position" integer NOT NULL,
	CONSTRAINT "study_methods_study_id_method_id_pk" PRIMARY KEY("study_id","method_id")
);
--> statement-breakpoint
ALTER TABLE "assignments" ADD CONSTRAINT "assignments_participant_id_participants_id_fk" FOREIGN KEY ("participant_id") REFERENCES "public"."participants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assignments" ADD CONSTRAINT "assignments_item_id_items_id_fk" FOREIGN KEY ("item_id") REFERENCES "public"."items"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assignments" ADD CONSTRAINT "assignments_left_sample_id_samples_id_fk" FOREIGN KEY ("left_sample_id") REFERENCES "public"."samples"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assignments" ADD CONSTRAINT "assignments_right_sample_id_samples_id_fk" FOREIGN KEY ("right_sample_id") REFERENCES "public"."samples"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "items" ADD CONSTRAINT "items_study_id_studies_id_fk" FOREIGN KEY ("study_id") REFERENCES "public"."studies"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "items" ADD CONSTRAINT "items_subject_id_subjects_id_fk" FOREIGN KEY ("subject_id") REFERENCES "public"."subjects"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "items" ADD CONSTRAINT "items_sample_a_id_samples_id_fk" FOREIGN KEY ("sample_a_id") REFERENCES "public"."samples"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "items" ADD CONSTRAINT "items_sample_b_id_samples_id_fk" FOREIGN KEY ("sample_b_id") REFERENCES "public"."samples"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "participant_tokens" ADD CONSTRAINT "participant_tokens_participant_id_participants_id_fk" FOREIGN KEY ("participant_id") REFERENCES "public"."participants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "participants" ADD CONSTRAINT "participants_study_id_studies_id_fk" FOREIGN KEY ("study_id") REFERENCES "public"."studies"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "responses" ADD CONSTRAINT "responses_assignment_id_assignments_id_fk" FOREIGN KEY ("assignment_id") REFERENCES "public"."assignments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "responses" ADD CONSTRAINT "responses_chosen_method_id_methods_id_fk" FOREIGN KEY ("chosen_method_id") REFERENCES "public"."methods"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "study_methods" ADD CONSTRAINT "study_methods_study_id_studies_id_fk" FOREIGN KEY ("study_id") REFERENCES "public"."studies"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "study_methods" ADD CONSTRAINT "study_methods_method_id_methods_id_fk" FOREIGN KEY ("method_id") REFERENCES "public"."methods"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "items_study_id_subject_id_index" ON "items" USING btree ("study_id","subject_id");--> statement-breakpoint
CREATE INDEX "participants_study_id_index" ON "participants" USING btree ("study_id");