import type { SessionUser } from '$lib/server/auth/session';

declare global {
	namespace App {
		interface Locals {
			user: SessionUser | null;
			sessionId: string | null;
		}
		interface Error {
			message: string;
		}
		interface PageState {
			/** The survey's full-screen image (shallow routing: back closes it). */
			zoom?: { sha: string; alt: string };
		}
	}
}

export {};
