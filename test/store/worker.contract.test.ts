import { createWorkerEngine } from '../../src/store/worker-engine.ts';
import { describeStoreContract } from './contract.ts';

describeStoreContract('in-process engine on a worker thread', async () => createWorkerEngine());
