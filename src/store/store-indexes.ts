import { ASSIGNMENT_INDEXES } from './assignment-store.ts';
import { DIGEST_INDEX_SETS } from './digest-store.ts';
import type { IndexSet } from './ensure-indexes.ts';

/** Every index the store needs, by collection: what start-up checks and the query-shape test holds queries to. */
export const STORE_INDEXES: readonly IndexSet[] = [...ASSIGNMENT_INDEXES, ...DIGEST_INDEX_SETS];
