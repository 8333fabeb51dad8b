import type { CanonicalContact, ContactPlanItem } from '../../lib/contacts/canonical';
import { planChanges } from '../../lib/contacts/canonical';
import {
	appliedPlanItem,
	planCompanyId,
	planItemContext,
	planItemSubject,
	planTargetId,
	readPlanItem,
} from '../../lib/reconcile/planItem';
import type { PlanItemStep } from '../../lib/reconcile/planItem';
import { InputError } from '../../lib/transport/http';
import { planItem as aPlanItem } from '../support/planItem';

function planItem(over: Partial<ContactPlanItem> = {}): ContactPlanItem {
	return aPlanItem({
		targetId: '30682001',
		companyId: '174',
		email: 'ann@contoso.example',
		sourceId: 'u-ann',
		changes: { title: 'CTO' },
		...over,
	});
}

function inputError(action: () => unknown): InputError {
	let caught: unknown;
	try {
		action();
	} catch (error) {
		caught = error;
	}
	expect(caught).toBeInstanceOf(InputError);
	return caught as InputError;
}

function skipReason(step: PlanItemStep): string | undefined {
	return 'skip' in step ? step.skip.skipReason : undefined;
}

describe('reading a plan item', () => {
	test('an item that is not a plan item names the parameter', () => {
		for (const json of [{ email: 'a@b.example' }, {}, { ...planItem(), changes: 'title=CEO' }]) {
			const error = inputError(() => readPlanItem(json, 'update', 'autotask'));
			expect(error.field).toBe('From Contact Reconcile');
			expect(error.message).toBe(
				'The input item is not a Contact Reconcile plan item (it has no planVersion, action and changes)',
			);
		}
	});

	test('an item for the other PSA names targetSystem and the node that applies it', () => {
		const error = inputError(() =>
			readPlanItem(planItem({ targetSystem: 'autotask' }), 'update', 'connectwise'),
		);
		expect(error.field).toBe('targetSystem');
		expect(error.message).toBe('The plan item targets "autotask", not ConnectWise');
		expect(error.description).toMatch(/send these items to the Autotask Contact node/);
	});

	test('an action the operation does not apply names action, also on a dry run', () => {
		for (const dryRun of [false, true]) {
			const error = inputError(() =>
				readPlanItem(planItem({ action: 'create', dryRun }), 'deactivate', 'autotask'),
			);
			expect(error.field).toBe('action');
			expect(error.message).toBe(
				`The plan item's action is "create", which this node's operation (deactivate) does not apply`,
			);
		}
		// Update applies every action on an existing contact.
		for (const action of ['update', 'deactivate', 'reactivate'] as const)
			expect('apply' in readPlanItem(planItem({ action }), 'update', 'autotask')).toBe(true);
	});

	test('unchanged, dry run and empty changes pass through unwritten, with the reason', () => {
		expect(skipReason(readPlanItem(planItem({ action: 'unchanged' }), 'create', 'autotask'))).toBe(
			'Nothing to change',
		);
		expect(skipReason(readPlanItem(planItem({ dryRun: true }), 'update', 'autotask'))).toBe(
			'Dry run',
		);
		const blank = planItem({
			targetSystem: 'connectwise',
			changes: { title: '', firstName: '   ' },
		});
		const step = readPlanItem(blank, 'update', 'connectwise');
		expect(skipReason(step)).toBe('The plan item has no changes');
		expect('skip' in step && step.skip).toEqual({
			...blank,
			applied: false,
			skipReason: 'The plan item has no changes',
		});
	});

	test('a plan item to apply comes back with exactly what it writes', () => {
		const step = readPlanItem(
			planItem({ changes: { title: 'CTO', phone: '', mobile: '  ' } }),
			'update',
			'autotask',
		);
		expect('apply' in step && step.changes).toEqual({ title: 'CTO' });
	});
});

describe('what a plan item writes', () => {
	test('never a blank; deactivate and reactivate set the active flag, whatever changes say', () => {
		expect(planChanges(planItem({ changes: { title: 'CTO', phone: '', mobile: '  ' } }))).toEqual({
			title: 'CTO',
		});
		expect(planChanges(planItem({ action: 'deactivate', changes: {} }))).toEqual({
			active: false,
		});
		expect(planChanges(planItem({ action: 'reactivate', changes: { active: false } }))).toEqual({
			active: true,
		});
		expect(
			planChanges(planItem({ action: 'create', changes: { firstName: 'Ada', active: true } })),
		).toEqual({ firstName: 'Ada', active: true });
	});
});

describe('plan ids', () => {
	test('targetId and companyId must be the vendor ids the plan was made with', () => {
		expect(planTargetId(planItem({ targetId: ' 42 ' }))).toBe(42);
		expect(inputError(() => planTargetId(planItem({ targetId: 'abc' }))).message).toBe(
			`The plan item's targetId "abc" is not an Autotask contact ID`,
		);
		expect(
			inputError(() => planTargetId(planItem({ targetSystem: 'connectwise', targetId: '0' })))
				.message,
		).toBe(`The plan item's targetId "0" is not a ConnectWise contact ID`);
		expect(inputError(() => planTargetId(planItem({ targetId: '' }))).field).toBe('targetId');
		expect(planCompanyId(planItem({ companyId: '174' }))).toBe('174');
		expect(inputError(() => planCompanyId(planItem({ companyId: '' }))).message).toBe(
			'The plan item has no companyId',
		);
		expect(inputError(() => planCompanyId(planItem({ companyId: 'Contoso' }))).field).toBe(
			'companyId',
		);
	});
});

test('an applied plan item carries the written contact and its id', () => {
	const contact = { system: 'autotask', id: '7' } as CanonicalContact;
	expect(appliedPlanItem(planItem({ action: 'create', targetId: '' }), '7', contact)).toMatchObject(
		{ action: 'create', applied: true, targetId: '7', contact },
	);
});

test("a failed plan item's summary names the company by name and id, and the customer when it is another name", () => {
	const item = planItem({ action: 'create', email: 'ann@contoso.com', companyId: '174' });
	expect(planItemSubject(item)).toBe('create ann@contoso.com in company 174');
	expect(planItemSubject({ ...item, companyName: 'Contoso Ltd' })).toBe(
		'create ann@contoso.com in company 174 (Contoso Ltd)',
	);
	expect(planItemSubject({ ...item, companyName: 'Contoso Ltd', customer: 'Contoso' })).toBe(
		'create ann@contoso.com in company 174 (Contoso Ltd) (Contoso)',
	);
	expect(planItemContext({ ...item, companyName: 'Contoso Ltd' })?.plan.companyName).toBe(
		'Contoso Ltd',
	);
});
