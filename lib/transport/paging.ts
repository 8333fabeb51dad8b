import { VENDOR_NAMES, VendorApiError } from './http';
import type { Vendor } from './http';

/** What every vendor's paging needs: a record limit across pages, and next-page links kept home. */

/** Records handed on across pages, against an optional limit (undefined = all). */
export class RecordLimit {
	private delivered = 0;

	constructor(private readonly limit: number | undefined) {}

	/** The part of a page still within the limit; it counts as handed on. */
	take<T>(items: T[]): T[] {
		const taken =
			this.limit !== undefined && this.delivered + items.length > this.limit
				? items.slice(0, Math.max(0, this.limit - this.delivered))
				: items;
		this.delivered += taken.length;
		return taken;
	}

	/** Whether the limit is reached: no further page is needed. */
	get reached(): boolean {
		return this.limit !== undefined && this.delivered >= this.limit;
	}
}

/**
 * A next-page link from a vendor, reduced to what follows the API's base path (`/V1.0`,
 * `/apis/3.0`...), so it is requested relative to the credential's base URL: the credential adds
 * its secrets to every request, so a link is never followed to another host
 * (docs/adr/next-page-links-on-credential-host.md). Undefined when the link does not contain the
 * base path.
 */
export function linkBelowBasePath(link: string, basePath: RegExp): string | undefined {
	const withoutOrigin = link.trim().replace(/^https?:\/\/[^/]+/i, '');
	const match = new RegExp(`^(?:[^?#]*?)${basePath.source}(/[^#]*)`, basePath.flags).exec(
		withoutOrigin,
	);
	return match ? match[1] : undefined;
}

/**
 * `linkBelowBasePath`, or a VendorApiError naming the link when it cannot be followed: stopping
 * there would hand on a partial list, and a partial list looks like deletions.
 */
export function nextPagePath(
	vendor: Vendor,
	link: string,
	basePath: RegExp,
	whatToCheck: string,
): string {
	const path = linkBelowBasePath(link, basePath);
	if (path === undefined) {
		throw new VendorApiError({
			vendor,
			httpCode: 0,
			message: `${VENDOR_NAMES[vendor]} returned a next-page link the node cannot follow: ${link.slice(0, 120)}`,
			description: whatToCheck,
		});
	}
	return path;
}
