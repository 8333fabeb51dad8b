import { isTruncationOf, truncateToLimit } from '../../lib/contacts/fieldLimits';

describe('truncateToLimit', () => {
	test('values within the limit are unchanged', () => {
		expect(truncateToLimit('Office Manager', 14)).toBe('Office Manager');
		expect(truncateToLimit('', 5)).toBe('');
	});

	test('cuts at the last word boundary that keeps most of the limit, dropping separators', () => {
		const title = 'Senior Vice President, Strategic Partnerships and Business Development (EMEA)';
		expect(truncateToLimit(title, 50)).toBe('Senior Vice President, Strategic Partnerships and');
		expect(truncateToLimit(title, 40)).toBe('Senior Vice President, Strategic');
		expect(truncateToLimit('Head of Operations, Data', 20)).toBe('Head of Operations');
	});

	test('cuts at the limit when no boundary is near, and never splits a surrogate pair', () => {
		expect(truncateToLimit('Wolfeschlegelsteinhausenbergerdorff', 30)).toBe(
			'Wolfeschlegelsteinhausenberger',
		);
		expect(truncateToLimit('Ab Cdefghijklmnop', 10)).toBe('Ab Cdefghi');
		const emoji = `${'x'.repeat(9)}😀y`;
		expect(truncateToLimit(emoji, 10)).toBe('x'.repeat(9));
	});

	test('every result fits the limit', () => {
		for (let limit = 1; limit < 40; limit++) {
			const value = 'Assistant to the Regional Director of Facilities, Estates';
			expect(truncateToLimit(value, limit).length).toBeLessThanOrEqual(limit);
		}
	});
});

describe('isTruncationOf', () => {
	const title = 'Head of Regulatory Compliance, Data Protection and Information Governance';

	test('the value cut at the limit is in sync with the longer value', () => {
		expect(isTruncationOf(title, truncateToLimit(title, 50), 50)).toBe(true);
	});

	test('a shorter value the PSA holds for another reason is not', () => {
		expect(isTruncationOf(title, 'Head of Regulatory Compliance', 50)).toBe(false);
		expect(isTruncationOf('Sales Manager', 'Sales', 50)).toBe(false);
		expect(isTruncationOf(title, truncateToLimit(title, 50), undefined)).toBe(false);
	});
});
