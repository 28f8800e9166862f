CREATE TABLE "assignment_slots" (
	"study_id" uuid NOT NULL,
	"n" integer NOT NULL,
	"item_ids" uuid[] NOT NULL,
	"a_on_left" boolean[] NOT NULL,
	"participant_id" uuid,
	CONSTRAINT "assignment_slots_study_id_n_pk" PRIMARY KEY("study_id","n")
);
--> statement-breakpoint
ALTER TABLE "assignment_slots" ADD CONSTRAINT "assignment_slots_study_id_studies_id_fk" FOREIGN KEY ("study_id") REFERENCES "public"."studies"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assignment_slots" ADD CONSTRAINT "assignment_slots_participant_id_participants_id_fk" FOREIGN KEY ("participant_id") REFERENCES "public"."participants"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "assignment_slots_free" ON "assignment_slots" USING btree ("study_id","n") WHERE participant_id is null;--> statement-breakpoint
ALTER TABLE "items" DROP COLUMN "exposures";--> statement-breakpoint
ALTER TABLE "items" DROP COLUMN "a_left";