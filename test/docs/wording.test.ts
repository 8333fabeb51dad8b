/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- development tooling, never shipped in dist */
import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * The templates' sticky notes use n8n 2.x's words: a workflow is **published** (the editor's
 * Publish button), not "activated", which is what n8n 1.x called it.
 */
const WORKFLOWS = path.join(__dirname, '..', '..', 'workflows');

test('sticky notes say Publish, not activate', () => {
	const offenders: string[] = [];
	let notes = 0;
	for (const file of fs.readdirSync(WORKFLOWS).filter((name) => name.endsWith('.json'))) {
		const workflow = JSON.parse(fs.readFileSync(path.join(WORKFLOWS, file), 'utf8')) as {
			nodes: Array<{ name: string; type: string; parameters?: { content?: string } }>;
		};
		for (const node of workflow.nodes) {
			if (node.type !== 'n8n-nodes-base.stickyNote') continue;
			notes++;
			const content = node.parameters?.content ?? '';
			// "deactivate"/"reactivate" are contact actions, not the workflow's state.
			for (const match of content.matchAll(/\b(activate|activated|activation|active)\b/gi))
				offenders.push(`${file} "${node.name}": "${match[0]}"`);
		}
	}
	expect(notes).toBeGreaterThan(0);
	expect(offenders).toEqual([]);
});
