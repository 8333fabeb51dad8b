// Writes the index of docs/adr/README.md (between its adr-index markers) from the records in the
// folder: one line per file, its title, alphabetical by file name, the status when it is not
// plain "accepted". With --check it changes nothing and exits 1 when the index is not current.
//
//   node scripts/adrIndex.mjs           rewrite the index
//   node scripts/adrIndex.mjs --check   CI: is every record listed, and nothing else?
import * as fs from 'node:fs';
import * as path from 'node:path';

const FOLDER = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', 'docs', 'adr');
const README = path.join(FOLDER, 'README.md');
const INDEX = /(<!-- adr-index:start -->\n)[\s\S]*?(<!-- adr-index:end -->)/;

const lines = fs
	.readdirSync(FOLDER)
	.filter((file) => file.endsWith('.md') && file !== 'README.md')
	.sort()
	.map((file) => {
		const text = fs.readFileSync(path.join(FOLDER, file), 'utf8');
		const title = /^# (.+)$/m.exec(text)?.[1].trim() ?? file;
		const status = /^Status: ([^.\n]+)/m.exec(text)?.[1].trim() ?? '';
		const note = status && !/^accepted\b/i.test(status) ? ` (${status})` : '';
		return `- [${title}](${file})${note}\n`;
	});

const readme = fs.readFileSync(README, 'utf8');
if (!INDEX.test(readme)) {
	console.error('docs/adr/README.md has no <!-- adr-index:start --> ... <!-- adr-index:end -->');
	process.exit(1);
}
const updated = readme.replace(INDEX, (_, start, end) => `${start}${lines.join('')}${end}`);

if (process.argv.includes('--check')) {
	if (updated !== readme) {
		console.error('docs/adr/README.md: the index is not current; run node scripts/adrIndex.mjs');
		process.exitCode = 1;
	} else console.log(`docs/adr/README.md: the index lists all ${lines.length} records`);
} else if (updated !== readme) {
	fs.writeFileSync(README, updated);
	console.log(`docs/adr/README.md: index rewritten (${lines.length} records)`);
}
