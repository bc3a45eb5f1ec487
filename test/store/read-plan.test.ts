import { describe, expect, it } from 'vitest';
import { readPlan } from '../../src/store/read-plan.ts';

// MongoDB's explain output in the shapes 6.0, 7.0 and 8.0 give it, reduced to what the index test asserts.

const stats = { executionStats: { nReturned: 10, totalKeysExamined: 12, totalDocsExamined: 10 } };

describe('reading an explain', () => {
  it('reads the classic engine’s nested stages', () => {
    const plan = readPlan({
      queryPlanner: {
        winningPlan: {
          stage: 'LIMIT',
          inputStage: { stage: 'FETCH', inputStage: { stage: 'IXSCAN', indexName: 'team_ts_id' } },
        },
        rejectedPlans: [
          { stage: 'COLLSCAN' },
          { stage: 'SORT', inputStage: { stage: 'IXSCAN', indexName: 'ts' } },
        ],
      },
      ...stats,
    });
    expect(plan).toEqual({
      indexes: ['team_ts_id'],
      collectionScan: false,
      blockingSort: false,
      keysExamined: 12,
      docsExamined: 10,
      returned: 10,
    });
  });

  it('reads the slot-based engine’s queryPlan, an OR of branches and a sort in memory', () => {
    const plan = readPlan({
      queryPlanner: {
        winningPlan: {
          queryPlan: {
            stage: 'SORT',
            inputStage: {
              stage: 'OR',
              inputStages: [
                { stage: 'IXSCAN', indexName: 'conversation_ts_id' },
                { stage: 'IXSCAN', indexName: 'contact_ts_id' },
              ],
            },
          },
          slotBasedPlan: { slots: '…', stages: '[2] sort …' },
        },
      },
      ...stats,
    });
    expect(plan).toMatchObject({
      indexes: ['conversation_ts_id', 'contact_ts_id'],
      blockingSort: true,
      collectionScan: false,
    });
  });

  it('takes IDHACK and EXPRESS_IXSCAN for the indexes they use, and sees a collection scan', () => {
    expect(readPlan({ queryPlanner: { winningPlan: { stage: 'IDHACK' } } }).indexes).toEqual(['_id_']);
    expect(
      readPlan({ queryPlanner: { winningPlan: { stage: 'EXPRESS_IXSCAN', indexName: '_id_' } } }).indexes,
    ).toEqual(['_id_']);
    expect(readPlan({ queryPlanner: { winningPlan: { stage: 'COLLSCAN' } } })).toMatchObject({
      indexes: [],
      collectionScan: true,
    });
  });
});
