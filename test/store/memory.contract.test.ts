import { createMemoryEngine } from '../../src/store/memory-engine.ts';
import { describeStoreContract } from './contract.ts';

describeStoreContract('in-process engine', async () => createMemoryEngine());
