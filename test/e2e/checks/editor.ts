/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- development tooling (and code evaluated in the browser), never shipped in dist */
import * as fs from 'node:fs';
import * as path from 'node:path';

import { chromium } from 'playwright-core';
import type { BrowserContext, Locator, Page } from 'playwright-core';

import { EXPECTED_NODES } from '../lane';
import type { ImportedTemplate, Lane } from '../lane';
import type { WorkflowNode } from '../../../dev/n8n/templates';
import {
	CHROMIUM,
	PACKAGE_NAME,
	REPO_WORKFLOWS,
	SCRATCH_DIR,
	SCREENSHOT_DIR,
} from '../../../dev/n8n/paths';
import { onCleanup } from '../../../dev/n8n/processes';
import { detail } from '../../../dev/n8n/progress';
import { OWNER } from '../../../dev/n8n/server';

/** The flags the machine notes list for Debian's chromium on a closed network. */
const CHROMIUM_ARGS = [
	'--no-sandbox',
	'--disable-gpu',
	'--disable-quic',
	'--no-first-run',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
];

const SHOTS_DIR = path.join(SCRATCH_DIR, 'screenshots');
const VIEWPORT = { width: 1440, height: 900 };
/** Screenshots at twice the pixels of the viewport, so the text in them stays readable in the README. */
const DEVICE_SCALE_FACTOR = 2;

/** Screenshots the README shows, copied to docs/screenshots when the editor checks pass. */
const README_SHOTS = new Set<string>();

/**
 * Screenshots already taken of the alert template as imported (shootAlertTemplateAsImported),
 * before the lane disables its Schedule Trigger to publish it: not taken again after that.
 */
const TAKEN_AS_IMPORTED = new Set<string>();

async function shot(page: Page, name: string, forReadme: boolean): Promise<void> {
	if (TAKEN_AS_IMPORTED.has(name)) return;
	fs.mkdirSync(SHOTS_DIR, { recursive: true });
	await page.screenshot({ path: path.join(SHOTS_DIR, `${name}.png`) });
	if (forReadme) README_SHOTS.add(name);
}

/** Whether the image loaded; it may still be in flight when its panel entry appears, so wait for it to settle. */
async function imageLoaded(image: Locator): Promise<{ loaded: boolean; src: string }> {
	return await image.evaluate(async (element) => {
		const img = element as unknown as {
			complete: boolean;
			naturalWidth: number;
			src: string;
			decode(): Promise<void>;
		};
		const deadline = Date.now() + 10_000;
		while (!img.complete && Date.now() < deadline)
			await new Promise((resolve) => setTimeout(resolve, 100));
		await img.decode().catch(() => undefined);
		return { loaded: img.complete && img.naturalWidth > 0, src: img.src };
	});
}

async function dismissTooltips(page: Page): Promise<void> {
	for (const label of ['Got it', 'Dismiss', 'Close']) {
		const button = page.getByRole('button', { name: label, exact: true });
		if (
			await button
				.first()
				.isVisible()
				.catch(() => false)
		)
			await button
				.first()
				.click()
				.catch(() => undefined);
	}
}

export async function signIn(page: Page, baseUrl: string): Promise<void> {
	await page.goto(`${baseUrl}/signin`);
	await page.locator('#emailOrLdapLoginId').fill(OWNER.email);
	await page.locator('#password').fill(OWNER.password);
	await page.locator('[data-test-id="form-submit-button"]').click();
	await page.waitForURL((url) => !url.pathname.includes('signin'), { timeout: 60_000 });
}

/** A new workflow with a Manual Trigger, so the node panel offers action nodes. */
async function openBlankWorkflow(page: Page, baseUrl: string): Promise<void> {
	await page.goto(`${baseUrl}/workflow/new`);
	await page.locator('[data-test-id="canvas-add-button"]').click({ timeout: 60_000 });
	await page.locator('input[data-test-id="node-creator-search-bar"]').fill('Manual');
	await page
		.locator(
			'[data-test-id="item-iterator-item"][data-keyboard-nav-id^="n8n-nodes-base.manualTrigger"]',
		)
		.first()
		.waitFor();
	await page.keyboard.press('Enter');
	await page
		.locator('[data-test-id="canvas-node"][data-node-type="n8n-nodes-base.manualTrigger"]')
		.waitFor();
	await closeNodeCreator(page);
	await dismissTooltips(page);
	await shot(page, 'editor-blank-workflow', false);
}

async function closeNodeCreator(page: Page): Promise<void> {
	const creator = page.locator('[data-test-id="node-creator"]');
	for (let attempt = 0; attempt < 3 && (await creator.isVisible().catch(() => false)); attempt++) {
		await page.keyboard.press('Escape');
		await page.waitForTimeout(200);
	}
}

/** Searches each node by its display name in the node panel; its entry must show the package's icon. */
export async function checkNodePanel(
	lane: Lane,
	page: Page,
	baseUrl: string,
	expected: Record<string, string> = EXPECTED_NODES,
	packageName = PACKAGE_NAME,
): Promise<void> {
	await openBlankWorkflow(page, baseUrl);
	const found: string[] = [];
	for (const [name, displayName] of Object.entries(expected)) {
		await page.locator('[data-test-id="node-creator-plus-button"]').click();
		const search = page.locator('input[data-test-id="node-creator-search-bar"]');
		await search.fill(displayName);
		const item = page
			.locator(
				`[data-test-id="item-iterator-item"][data-keyboard-nav-id^="${packageName}.${name}-"]`,
			)
			.first();
		try {
			await item.waitFor({ timeout: 10_000 });
		} catch {
			lane.failures.push(
				`Editor: searching "${displayName}" in the node panel does not show ${packageName}.${name}`,
			);
			await shot(page, `node-panel-${name}-missing`, false);
			await closeNodeCreator(page);
			continue;
		}
		const shownName = (
			await item.locator('[data-test-id="node-creator-item-name"]').first().innerText()
		).trim();
		if (shownName !== displayName)
			lane.failures.push(
				`Editor: the node panel shows ${packageName}.${name} as "${shownName}", expected "${displayName}"`,
			);
		const icon = item.locator('.n8n-node-icon img').first();
		if ((await icon.count()) === 0) {
			lane.failures.push(
				`Editor: ${displayName} has no image icon in the node panel (n8n shows a placeholder when the icon file is missing)`,
			);
		} else {
			const { loaded, src } = await imageLoaded(icon);
			if (!loaded)
				lane.failures.push(
					`Editor: the icon of ${displayName} in the node panel did not load (${src})`,
				);
			else if (!src.includes(packageName))
				lane.failures.push(
					`Editor: the icon of ${displayName} does not come from the package (${src})`,
				);
		}
		await item.hover().catch(() => undefined);
		await shot(page, `node-panel-${name}`, false);
		found.push(displayName);
		await closeNodeCreator(page);
	}
	detail(
		`node panel: ${found.length}/${Object.keys(expected).length} found with icons (${found.join(', ') || 'none'})`,
	);
	if (packageName === PACKAGE_NAME) await overviewShot(page);
}

/** The README's node-panel picture: every node of the package answers the search "MSP" (codex alias). */
async function overviewShot(page: Page): Promise<void> {
	await page.locator('[data-test-id="node-creator-plus-button"]').click();
	await page.locator('input[data-test-id="node-creator-search-bar"]').fill('MSP');
	const ours = page.locator(
		`[data-test-id="item-iterator-item"][data-keyboard-nav-id^="${PACKAGE_NAME}."]`,
	);
	await ours
		.first()
		.waitFor({ timeout: 10_000 })
		.catch(() => undefined);
	await page.waitForTimeout(500);
	await shot(page, 'node-panel', true);
	detail(`searching "MSP" lists ${await ours.count()} of the package's nodes`);
	await closeNodeCreator(page);
}

function screenshotName(template: ImportedTemplate): string {
	return path.basename(template.spec.file, '.json');
}

async function checkTemplateCanvas(
	lane: Lane,
	page: Page,
	baseUrl: string,
	template: ImportedTemplate,
): Promise<void> {
	const label = `workflows/${template.spec.file}`;
	await page.goto(`${baseUrl}/workflow/${template.id}`);
	const canvasNodes = page.locator('[data-test-id="canvas-node"]');
	await canvasNodes.first().waitFor({ timeout: 60_000 });
	await dismissTooltips(page);
	const expected = template.workflow.nodes.filter(
		(node) => node.type !== 'n8n-nodes-base.stickyNote',
	);
	const rendered = await page
		.locator('[data-test-id="canvas-node"]:not([data-node-type="n8n-nodes-base.stickyNote"])')
		.count();
	if (rendered !== expected.length)
		lane.failures.push(
			`Editor: ${label} renders ${rendered} nodes on the canvas, the file has ${expected.length}`,
		);
	for (const node of expected.filter((entry) => entry.type.startsWith(`${PACKAGE_NAME}.`))) {
		const canvasNode = page.locator(
			`[data-test-id="canvas-node"][data-node-name="${node.name.replace(/"/g, '\\"')}"]`,
		);
		if ((await canvasNode.count()) === 0) {
			lane.failures.push(`Editor: ${label}: node "${node.name}" is not on the canvas`);
			continue;
		}
		const icon = canvasNode.locator('.n8n-node-icon img').first();
		if ((await icon.count()) === 0 || !(await imageLoaded(icon)).loaded) {
			lane.failures.push(
				`Editor: ${label}: node "${node.name}" (${node.type}) shows no icon on the canvas (unknown type or missing icon)`,
			);
		}
		const issues = canvasNode.locator('[data-test-id="node-issues"]');
		if ((await issues.count()) > 0) {
			await issues
				.first()
				.hover()
				.catch(() => undefined);
			lane.failures.push(
				`Editor: ${label}: node "${node.name}" shows parameter or credential issues after import`,
			);
		}
	}
	await page
		.locator('[data-test-id="zoom-to-fit"]')
		.click()
		.catch(() => undefined);
	await page.mouse.move(5, VIEWPORT.height - 5);
	await page.waitForTimeout(500);
	// A map-driven template carries the lane's webhook start: not the canvas a user sees.
	await shot(page, screenshotName(template), !template.spec.webhookPath);
	detail(`${label}: ${rendered} nodes on the canvas`);
}

/**
 * The settings as a user sees them: each credential field shows the name of the credential bound
 * to the node (n8n shows the id when the credential is not among the field's choices), and the
 * given parameters are shown (n8n hides a parameter it takes for the node's authentication choice).
 */
async function checkNodeSettingsShown(
	lane: Lane,
	page: Page,
	label: string,
	node: WorkflowNode,
	parameters: string[],
): Promise<void> {
	const ndv = page.locator('[data-test-id="ndv"]').first();
	// The select shows the chosen credential in its input (its text is empty then).
	const shown = (
		await ndv.locator('[data-test-id="node-credentials-select"]').evaluateAll((elements) =>
			elements.map((element) => {
				const field = element as unknown as {
					innerText: string;
					querySelector(selector: string): { value: string } | null;
				};
				return (field.querySelector('input')?.value || field.innerText).trim();
			}),
		)
	).sort();
	const bound = Object.values(node.credentials ?? {})
		.map((credential) => credential.name)
		.sort();
	if (JSON.stringify(shown) !== JSON.stringify(bound))
		lane.failures.push(
			`Editor: ${label}: "${node.name}" shows the credentials ${JSON.stringify(shown)}, bound are ${JSON.stringify(bound)}`,
		);
	for (const parameter of parameters)
		if ((await ndv.locator(`[data-test-id="parameter-input-${parameter}"]`).count()) === 0)
			lane.failures.push(`Editor: ${label}: "${node.name}" does not show its ${parameter} setting`);
	detail(
		`${label}: "${node.name}" shows the credentials ${shown.join(', ')}${parameters.length > 0 ? ` and ${parameters.join(', ')}` : ''}`,
	);
}

/** Opens a node's settings panel (NDV) on the canvas, checks what it shows and screenshots it. */
async function screenshotNodeSettings(
	lane: Lane,
	page: Page,
	baseUrl: string,
	template: ImportedTemplate,
	nodeType: string,
	name: string,
	parameters: string[],
): Promise<void> {
	const node = template.workflow.nodes.find(
		(entry) => entry.type === `${PACKAGE_NAME}.${nodeType}`,
	);
	if (!node) return;
	await page.goto(`${baseUrl}/workflow/${template.id}`);
	const canvasNode = page.locator(
		`[data-test-id="canvas-node"][data-node-name="${node.name.replace(/"/g, '\\"')}"]`,
	);
	await canvasNode.waitFor({ timeout: 60_000 });
	await dismissTooltips(page);
	await canvasNode.dblclick();
	await page.locator('[data-test-id="ndv"]').first().waitFor({ timeout: 30_000 });
	await page.waitForTimeout(800);
	await checkNodeSettingsShown(lane, page, `workflows/${template.spec.file}`, node, parameters);
	await shot(page, name, true);
	await page.keyboard.press('Escape');
}

/** Headless Chromium signed in to the lane's n8n, for `work`; closed afterwards. */
async function inEditor(
	lane: Lane,
	work: (page: Page, baseUrl: string) => Promise<void>,
): Promise<void> {
	const baseUrl = lane.server!.url;
	const profile = path.join(SCRATCH_DIR, 'chromium-profile');
	fs.rmSync(profile, { recursive: true, force: true });
	const context: BrowserContext = await chromium.launchPersistentContext(profile, {
		executablePath: CHROMIUM,
		headless: true,
		args: CHROMIUM_ARGS,
		viewport: VIEWPORT,
		deviceScaleFactor: DEVICE_SCALE_FACTOR,
	});
	const close = onCleanup('chromium', async () => await context.close());
	try {
		const page = context.pages()[0] ?? (await context.newPage());
		page.setDefaultTimeout(30_000);
		await signIn(page, baseUrl);
		detail('signed in through the sign-in form');
		await work(page, baseUrl);
	} finally {
		close();
		await context.close();
	}
}

/**
 * The alert template's README screenshots (its canvas and RMM Alert to Ticket's settings) as a
 * user imports it: taken before the webhook checks publish it with its Schedule Trigger disabled
 * (which the editor would draw as "(Deactivated)"). Copied to docs/ by checkEditor.
 */
export async function shootAlertTemplateAsImported(lane: Lane): Promise<void> {
	const alerts = lane.templates.find((template) => template.spec.kind === 'alerts');
	if (!alerts) return;
	await inEditor(lane, async (page, baseUrl) => {
		await checkTemplateCanvas(lane, page, baseUrl, alerts);
		await screenshotNodeSettings(
			lane,
			page,
			baseUrl,
			alerts,
			'rmmAlertToTicket',
			'rmm-alert-to-ticket-settings',
			['psa'],
		);
	});
	for (const name of [screenshotName(alerts), 'rmm-alert-to-ticket-settings'])
		TAKEN_AS_IMPORTED.add(name);
}

export async function checkEditor(lane: Lane): Promise<void> {
	const before = lane.failures.length;
	await inEditor(lane, async (page, baseUrl) => {
		const brokenAssets: string[] = [];
		page.on('response', (response) => {
			// Icons only: the editor also asks for optional output schemas (/schemas/<type>/...), which
			// community packages need not ship, and a 404 there is normal.
			const url = response.url();
			if (url.includes('/icons/') && url.includes(PACKAGE_NAME) && response.status() >= 400)
				brokenAssets.push(`${response.status()} ${url}`);
		});
		await checkNodePanel(lane, page, baseUrl);
		const contactTemplates = lane.templates.filter((template) => template.spec.kind !== 'alerts');
		if (!lane.templates.some((template) => template.spec.kind === 'contacts-autotask')) {
			lane.failures.push(
				'Editor: the contact-sync template (workflows/office365-to-autotask-contacts.json) is missing, so it cannot be rendered',
			);
		}
		for (const template of lane.templates) await checkTemplateCanvas(lane, page, baseUrl, template);
		const autotaskSync = contactTemplates.find(
			(template) => template.spec.kind === 'contacts-autotask',
		);
		if (autotaskSync)
			await screenshotNodeSettings(
				lane,
				page,
				baseUrl,
				autotaskSync,
				'contactReconcile',
				'contact-reconcile-settings',
				['targetSystem'],
			);
		// RMM Alert to Ticket's settings: shootAlertTemplateAsImported, before the webhook checks.
		for (const asset of brokenAssets) lane.failures.push(`Editor: ${asset}`);
	});
	const shots = [...fs.readdirSync(SHOTS_DIR)].filter((file) => file.endsWith('.png'));
	if (!REPO_WORKFLOWS) {
		detail(
			`screenshots in ${SHOTS_DIR} (docs/screenshots is left alone while E2E_WORKFLOWS_DIR points at other templates)`,
		);
	} else if (lane.failures.length === before && README_SHOTS.size > 0) {
		fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
		for (const name of README_SHOTS)
			fs.copyFileSync(
				path.join(SHOTS_DIR, `${name}.png`),
				path.join(SCREENSHOT_DIR, `${name}.png`),
			);
		detail(
			`screenshots for the README: ${[...README_SHOTS].map((name) => `docs/screenshots/${name}.png`).join(', ')}`,
		);
	} else {
		detail(
			`screenshots (not copied to docs/ because the editor checks failed): ${shots.length} in ${SHOTS_DIR}`,
		);
	}
}
