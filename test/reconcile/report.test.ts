import { buildSyncReport, describeFailures } from '../../lib/reconcile/report';
import { planItem } from '../support/planItem';

const applied = (over: object) => ({ ...planItem({ companyId: '100', ...over }), applied: true });

describe('the contact sync report', () => {
	test("Create's settled duplicates count as deactivated, not created", () => {
		const report = buildSyncReport({
			created: [
				applied({ action: 'create', email: 'a@x.example' }),
				applied({ action: 'deactivate', email: 'a@x.example', targetId: '12' }),
			],
		});
		expect(report.customers).toEqual([
			expect.objectContaining({ created: 1, deactivated: 1, notWritten: 0 }),
		]);
	});

	test('counts per customer what was written, left alone, held back and what failed', () => {
		const report = buildSyncReport({
			created: [
				applied({ action: 'create', email: 'a@x.example', customer: 'Contoso' }),
				{
					error: 'Autotask: company 100 is inactive [item 1]',
					plan: { action: 'create', email: 'b@x.example', companyId: '100', customer: 'Contoso' },
				},
			],
			updated: [applied({ action: 'update', customer: 'Contoso' })],
			deactivated: [applied({ action: 'deactivate', companyId: '200', customer: 'Fabrikam' })],
			unchanged: [planItem({ action: 'unchanged', companyId: '200', customer: 'Fabrikam' })],
			review: [
				{
					...planItem({ action: 'unchanged', customer: 'Fabrikam' }),
					review: { problem: 'heldCreate' },
				},
				{
					...planItem({ action: 'unchanged', customer: 'Fabrikam' }),
					review: { problem: 'ambiguousMatch' },
				},
			],
		});
		expect(report.errors).toBe(1);
		expect(report.customers).toEqual([
			expect.objectContaining({ customer: 'Contoso', created: 1, updated: 1, errors: 1 }),
			expect.objectContaining({
				customer: 'Fabrikam',
				deactivated: 1,
				unchanged: 1,
				heldBack: 1,
				needsReview: 1,
				errors: 0,
			}),
		]);
		expect(describeFailures(report)).toBe(
			'Contoso: 1 failed (create b@x.example: Autotask: company 100 is inactive [item 1])',
		);
	});

	test('without customer names, one report per PSA company; items naming no company join the only one', () => {
		const report = buildSyncReport({
			created: [applied({ action: 'create' })],
			review: [{ error: 'Source item 3: field "active" must be true or false', itemIndex: 3 }],
		});
		expect(report.customers).toEqual([
			expect.objectContaining({ customer: 'autotask company 100', created: 1, errors: 1 }),
		]);
	});
});
