/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- a test reading the documentation */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

// The documentation can drift from the repository in ways a reader cannot see: an example
// left out, a link to a file that moved, a test command CI no longer runs, a README that grows
// back into a contributor's manual. These checks keep it honest where it can fail.

const ROOT = join(__dirname, '..', '..');
const read = (file: string): string => readFileSync(join(ROOT, file), 'utf8');
const README = read('README.md');

const DOCS = [
	'README.md',
	'CONTRIBUTING.md',
	'CHANGELOG.md',
	...readdirSync(join(ROOT, 'docs'))
		.filter((name) => name.endsWith('.md'))
		.map((name) => `docs/${name}`),
];

/** Markdown links and images, `[text](target)`, outside code blocks and code spans. */
function relativeLinks(markdown: string): string[] {
	const prose = markdown.replace(/```[\s\S]*?```/g, '').replace(/`[^`\n]*`/g, '');
	const targets = [...prose.matchAll(/\]\(([^)\s]+)\)/g)].map((match) => match[1]);
	return targets.filter((target) => !/^[a-z][a-z0-9+.-]*:/i.test(target));
}

describe('README.md', () => {
	it('stays a user guide: under 300 lines', () => {
		expect(README.split('\n').length).toBeLessThan(300);
	});

	it('names every example workflow in examples/, each linked', () => {
		const examples = readdirSync(join(ROOT, 'examples')).filter((name) => name.endsWith('.json'));
		expect(examples.length).toBeGreaterThan(0);
		const linked = relativeLinks(README);
		for (const example of examples) {
			expect(linked).toContain(`examples/${example}`);
		}
	});

	it('gives the test command CI runs: `npm test`, as .ci/run calls it', () => {
		const ciSteps = read('.ci/run')
			.split('\n')
			.map((line) => line.trim());
		expect(ciSteps).toContain('npm test');
		expect(README).toMatch(/^npm test\s/m);
		expect(JSON.parse(read('package.json')).scripts.test).toBeDefined();
	});

	it('keeps the #credentials anchor the credential links to', () => {
		const credential = read('credentials/CometApiVeoApi.credentials.ts');
		expect(credential).toContain('n8n-nodes-cometapi-veo#credentials');
		expect(README).toMatch(/^## Credentials$/m);
	});
});

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens. */
function anchors(markdown: string): string[] {
	const prose = markdown.replace(/```[\s\S]*?```/g, '');
	return [...prose.matchAll(/^#{1,6} (.+)$/gm)].map((match) =>
		match[1]
			.trim()
			.toLowerCase()
			.replace(/[^\p{L}\p{N} _-]/gu, '')
			.replace(/ /g, '-'),
	);
}

describe.each(DOCS)('%s', (file) => {
	it('links only to files that exist', () => {
		const missing = relativeLinks(read(file))
			.map((target) => target.split('#')[0])
			.filter((path) => path !== '')
			.map((path) => resolve(ROOT, dirname(file), decodeURI(path)))
			.filter((path) => !existsSync(path))
			.map((path) => relative(ROOT, path));
		expect(missing).toEqual([]);
	});

	it('links only to headings that exist in the Markdown files it names', () => {
		const broken = relativeLinks(read(file))
			.filter((target) => target.includes('#'))
			.map((target) => target.split('#'))
			.map(([path, anchor]) => {
				const target = path === '' ? file : relative(ROOT, resolve(ROOT, dirname(file), path));
				return { target, anchor };
			})
			.filter(({ target }) => target.endsWith('.md') && existsSync(join(ROOT, target)))
			.filter(({ target, anchor }) => !anchors(read(target)).includes(anchor))
			.map(({ target, anchor }) => `${target}#${anchor}`);
		expect(broken).toEqual([]);
	});
});
