/**
 * Reads the DreamBooth dataset's `prompts_and_classes.txt`: a "subject_name,class" table,
 * then two Python-style lists of prompt templates ('a {0} {1} in the snow'.format(...)),
 * one for objects and one for live subjects.
 */
export interface DatasetIndex {
	classes: Map<string, string>;
	prompts: { object: string[]; live: string[] };
}

export const LIVE_CLASSES = new Set(['dog', 'cat']);

export function parsePromptsAndClasses(text: string): DatasetIndex {
	const classes = new Map<string, string>();
	const prompts: DatasetIndex['prompts'] = { object: [], live: [] };
	let section: 'none' | 'classes' | 'object' | 'live' = 'none';
	for (const raw of text.split(/\r?\n/)) {
		const line = raw.trim();
		if (!line) continue;
		if (/^classes$/i.test(line)) section = 'classes';
		else if (/^object prompts$/i.test(line)) section = 'object';
		else if (/^live subject prompts$/i.test(line)) section = 'live';
		else if (section === 'classes') {
			const m = line.match(/^([\w-]+)\s*,\s*(.+)$/);
			if (m && m[1] !== 'subject_name') classes.set(m[1], m[2].trim());
		} else if (section === 'object' || section === 'live') {
			const m = line.match(/^'(.*)'\.format\(/);
			if (m) prompts[section].push(m[1].replace('{0}', '{identifier}').replace('{1}', '{class}'));
		}
	}
	return { classes, prompts };
}

/** 'a {identifier} {class} in the snow' -> 'a sks dog in the snow'. */
export function fillPrompt(template: string, identifier: string, classNoun: string): string {
	return template.replace('{identifier}', identifier).replace('{class}', classNoun);
}
