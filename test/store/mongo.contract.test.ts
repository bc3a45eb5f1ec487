import { describe } from 'vitest';
import { describeStoreContract } from './contract.ts';
import { mongoTestEngine, withMongo } from './engines.ts';

// The same contract against a real server, when MONGODB_URI names one. Every test gets its own database,
// dropped when the test closes its engine.

if (!withMongo)
  console.log('store contract: skipped against MongoDB (set MONGODB_URI=mongodb://… to run it)');

(withMongo ? describe : describe.skip)('MongoDB', () => {
  describeStoreContract('MongoDB', () => mongoTestEngine('test'));
});
