import type { CaptionFlag } from '../db/schema';
import type { SubjectNaming } from './descriptions';
import { checkStyle } from './selectivity-style';
import { SubjectStructure, type Word } from './selectivity-structure';
import { subjectWords } from './subject-words';

/**
 * The selectivity check of a SID (Tab. 1, case 3), deterministic rules only. A SID opens with
 * "a [v] [class]" and never describes the subject: no colour, material, pattern, breed, size or
 * part words attached to it or to a word that refers back to it ("it", "its", "the dog", "the
 * corgi"), and no appositive after it. Where a phrase attaches (to the subject or to a scene
 * object) is decided in selectivity-structure.ts; the lexicons only say what names appearance.
 * Precision and recall on a hand-labelled set are measured
 * in bench/sid-selectivity.ts (figures in docs/SID.md); annotators can override a flag with a
 * reason, and an optional second VLM pass (vlm/selectivity-pass.ts) records its own verdict.
 */

function tokenize(s: string): Word[] {
	return [...s.matchAll(/([A-Za-z0-9][A-Za-z0-9'’-]*)([,;:.]?)/g)].map((m) => ({
		w: m[1].toLowerCase().replace(/’/g, "'"),
		stop: m[2]
	}));
}

const detail = (message: string): CaptionFlag => ({ code: 'subject-detail', message });

export function checkSelectivity(sid: string, s: SubjectNaming): CaptionFlag[] {
	const flags: CaptionFlag[] = [];
	const id = s.identifier.toLowerCase();
	const words = tokenize(sid);
	const w = words.map((x) => x.w.replace(/'s$/, ''));
	const idAt = w.flatMap((x, i) => (x === id ? [i] : []));
	if (idAt.length === 0) {
		return [
			{ code: 'identifier-missing', message: `The identifier "${s.identifier}" is missing.` }
		];
	}
	if (idAt.length > 1) {
		flags.push({
			code: 'identifier-repeated',
			message: `The identifier "${s.identifier}" appears ${idAt.length} times; name the subject once.`
		});
	}
	if (s.kind === 'style') return flags.concat(checkStyle(sid, s, w, idAt[0]));
	const cls = s.classNoun.toLowerCase().split(/\s+/);
	const i = idAt[0];
	const afterClass = i + 1 + cls.length;
	const classFollows = w.slice(i + 1, afterClass).join(' ') === cls.join(' ');

	// 1. The opening: exactly "a [v] [class]".
	if (i > 1 || (i === 1 && !/^(a|an)$/.test(w[0]))) {
		const extra = w.slice(/^(a|an|the)$/.test(w[0]) ? 1 : 0, i).join(' ');
		flags.push(
			detail(
				`"${extra}" before the identifier describes the subject; start with "a ${s.identifier} ${s.classNoun}".`
			)
		);
	} else if (i === 0) {
		flags.push({
			code: 'opening',
			message: `Start the sentence with "a ${s.identifier} ${s.classNoun}".`
		});
	}
	if (!classFollows) {
		const found = w.indexOf(cls[cls.length - 1], i + 1);
		flags.push(
			found > i && found - i <= 5
				? detail(
						`"${w.slice(i + 1, found).join(' ')}" sits between the identifier and the class; it describes the subject.`
					)
				: {
						code: 'class-missing',
						message: `"${s.identifier}" is not followed by the class "${s.classNoun}".`
					}
		);
		return dedupe(flags);
	}
	flags.push(...new SubjectStructure(words, w, afterClass, s).analyse());
	flags.push(...referencesBack(words, w, afterClass, s));
	return dedupe(flags);
}

/** Words that point back at the subject later: "its fur", "it has", "the dog is", "the corgi's". */
function referencesBack(words: Word[], w: string[], from: number, s: SubjectNaming): CaptionFlag[] {
	const flags: CaptionFlag[] = [];
	const names = subjectWords(s.classNoun);
	for (let k = from; k < w.length; k++) {
		const x = w[k];
		// "its ..." is the subject's only in the subject's slots (selectivity-structure.ts).
		if (x === 'it' && /^(is|has|looks|appears|features|shows|was|seems)$/.test(w[k + 1] ?? '')) {
			flags.push(detail(`"it ${w[k + 1]} ..." describes the subject.`));
		} else if (/^(the|this|that)$/.test(x)) {
			for (let n = 1; n <= 4 && k + n < w.length; n++) {
				const y = w[k + n];
				if (names.has(y)) {
					flags.push({
						code: 'subject-repeated',
						message: `"${w.slice(k, k + n + 1).join(' ')}" refers back to the subject; name it only once, as "${s.identifier} ${s.classNoun}".`
					});
					break;
				}
				// Up to three adjectives between: "the striped cat", "the small white dog".
				if (words[k + n - 1].stop || /^(of|on|in|at|by|with|and|or|to|is|are|has)$/.test(y)) break;
			}
		}
	}
	// A possessive of the subject itself: "a sks cat's green eyes".
	if (words[from - 1]?.w.endsWith("'s")) {
		flags.push(detail(`A possessive of the subject ("${words[from - 1].w} ...") describes it.`));
	}
	return flags;
}

function dedupe(flags: CaptionFlag[]): CaptionFlag[] {
	const seen = new Set<string>();
	return flags.filter((f) => !seen.has(f.message) && (seen.add(f.message), true));
}
