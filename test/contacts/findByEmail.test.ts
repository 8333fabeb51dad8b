import { addressesToFind, lookUpByEmail } from '../../lib/contacts/findByEmail';
import { InputError } from '../../lib/transport/http';

interface Row {
	id: number;
	emails: string[];
}

describe('Find by Email, batched', () => {
	test('addresses are normalized; blanks and non-addresses are errors of their own item', () => {
		const { wanted, distinct } = addressesToFind([
			' Ann@Contoso.example ',
			'',
			'not an address',
			'ann@contoso.example',
		]);
		expect(wanted[0]).toBe('ann@contoso.example');
		expect(wanted[1]).toBeInstanceOf(InputError);
		expect((wanted[1] as InputError).message).toBe('Email is empty');
		expect((wanted[2] as InputError).message).toBe(
			'Email "not an address" is not a valid email address',
		);
		expect(distinct).toEqual(['ann@contoso.example']);
	});

	test('one query per batch; each address gets its contacts once, by id', async () => {
		const rows: Row[] = [
			{ id: 9, emails: ['a@x.example', 'b@x.example'] },
			{ id: 3, emails: ['a@x.example'] },
			{ id: 5, emails: ['c@x.example'] },
		];
		const queried: string[][] = [];
		const found = await lookUpByEmail<Row>({
			batches: [['a@x.example', 'b@x.example'], ['c@x.example']],
			query: async (batch) => {
				queried.push([...batch]);
				// The same row twice (e.g. matched by two of its addresses) is counted once.
				const hits = rows.filter((row) => row.emails.some((email) => batch.includes(email)));
				return [...hits, ...hits];
			},
			addressesOf: (row) => row.emails,
		});
		expect(queried).toEqual([['a@x.example', 'b@x.example'], ['c@x.example']]);
		expect(found.matches('a@x.example').map((row) => row.id)).toEqual([3, 9]);
		expect(found.matches('b@x.example').map((row) => row.id)).toEqual([9]);
		expect(found.matches('c@x.example').map((row) => row.id)).toEqual([5]);
		expect(found.matches('d@x.example')).toEqual([]);
		expect(found.error).toBeUndefined();
	});

	test('a failed query ends the look-up and is reported, not swallowed', async () => {
		let calls = 0;
		const refused = new Error('refused');
		const found = await lookUpByEmail<Row>({
			batches: [['a@x.example'], ['b@x.example']],
			query: async () => {
				calls++;
				throw refused;
			},
			addressesOf: (row) => row.emails,
		});
		expect(calls).toBe(1);
		expect(found.error).toBe(refused);
	});
});
