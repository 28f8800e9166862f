/** How a caption fits CLIP's context: 77 tokens including start and end, the rest is cut. */
export const CLIP_CONTEXT = 77;

export interface TokenBudget {
	/** Tokens the caption takes, start and end tokens included. */
	count: number;
	over: boolean;
	/** The words training sees, and those it never sees (empty when it fits). */
	kept: string;
	cut: string;
}
