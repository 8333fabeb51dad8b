import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import { decodeCachedValue } from '../../lib/transport/cachedValue';

/** Credential fields whose values must never appear in an error, a log line or an output item. */
const SECRET_FIELDS = [
	'secret',
	'integrationCode',
	'privateKey',
	'clientSecret',
	'apiKey',
	'apiSecret',
	'accessToken',
];

export function collectSecrets(credentials: ICredentialDataDecryptedObject): string[] {
	const found = new Set<string>();
	for (const field of SECRET_FIELDS) {
		const raw = credentials[field];
		if (typeof raw !== 'string' || raw.length < 4) continue;
		found.add(raw);
		const cached = decodeCachedValue(raw);
		if (cached && cached.value.length >= 4) found.add(cached.value);
	}
	// ConnectWise sends the private key inside a Basic header.
	if (typeof credentials.privateKey === 'string' && credentials.privateKey) {
		const login = `${String(credentials.companyId ?? '').trim()}+${String(credentials.publicKey ?? '').trim()}`;
		found.add(Buffer.from(`${login}:${credentials.privateKey}`).toString('base64'));
	}
	// Longest first, so a secret that contains another is replaced whole.
	return [...found].sort((a, b) => b.length - a.length);
}

export function redactSecrets(text: string, secrets: string[]): string {
	let out = text;
	for (const secret of secrets) {
		if (secret) out = out.split(secret).join('[redacted]');
	}
	return out;
}
