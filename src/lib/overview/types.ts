/** What the admin overview shows: the project's path as steps, the next action, blockers. */

export type StepKey = 'subjects' | 'captions' | 'runs' | 'studies' | 'results';

/** done: nothing left to do here; todo: work to do now; blocked: cannot go on (see warnings); waiting: others are working (VLM, workers, participants). */
export type StepState = 'done' | 'todo' | 'blocked' | 'waiting';

export interface Link {
	label: string;
	href: string;
}

export interface Step {
	key: StepKey;
	title: string;
	state: StepState;
	/** Short facts with numbers: "24 subjects · 132 images". */
	facts: string[];
	/** 0..1 when the step has a measurable share done. */
	progress: number | null;
	action: Link | null;
}

export type WarningKind =
	| 'no-vlm'
	| 'no-worker'
	| 'method-without-case'
	| 'method-captions-missing'
	| 'study-too-few-items';

export interface Warning {
	kind: WarningKind;
	message: string;
	/** What to do about it: a variable to set, a command, a page. */
	fix: string;
	/** A command to run, shown as code (e.g. how to start a worker). */
	command?: string;
	link: Link | null;
}

export interface Overview {
	steps: Step[];
	/** The first thing to do now; null when the project is done and answers are in. */
	next: Link | null;
	warnings: Warning[];
	/** ISO time the figures were counted. */
	countedAt: string;
}
