import { describe, expect, it } from 'vitest';
import {
  contractNumber,
  fourEyesRefusal,
  TRANSITIONS,
  transitionRefusal,
  type ContractStatus,
  type TransitionName,
} from './contract.ts';

describe('the contract status model', () => {
  const allowed: [TransitionName, ContractStatus][] = [
    ['approve', 'draft'],
    ['reject', 'draft'],
    ['sign', 'approved'],
    ['activate', 'signed'],
    ['close', 'active'],
    ['terminate', 'active'],
    ['default', 'active'],
  ];

  it('should allow each transition only from its own status when asked for every pair', () => {
    const statuses: ContractStatus[] = [
      'draft',
      'approved',
      'signed',
      'active',
      'closed',
      'rejected',
      'terminated',
      'defaulted',
    ];
    for (const transition of Object.keys(TRANSITIONS) as TransitionName[]) {
      for (const status of statuses) {
        const expected = allowed.some(([name, from]) => name === transition && from === status);
        expect(transitionRefusal(transition, status) === null, `${transition} from ${status}`).toBe(expected);
      }
    }
  });

  it('should say what is wrong when a transition is refused', () => {
    expect(transitionRefusal('activate', 'draft')).toBe(
      'A draft contract cannot be activated; only a signed one can',
    );
  });

  it('should refuse approval by the author or by anyone who changed the draft when four eyes apply', () => {
    const contract = { createdBy: 'user-a', editors: ['user-b'] };
    expect(fourEyesRefusal(contract, 'user-a')).toMatchObject({
      code: 'FOUR_EYES_REQUIRED',
      detail: expect.stringMatching(/someone other than its author/),
    });
    expect(fourEyesRefusal(contract, 'user-b')).toMatchObject({ code: 'FOUR_EYES_EDITOR' });
    expect(fourEyesRefusal(contract, 'user-c')).toBeNull();
  });
});

describe('contract numbers', () => {
  it('should pad the sequence when numbering', () => {
    expect(contractNumber('LESSOR', 2026, 42)).toBe('LC-LESSOR-2026-000042');
  });
});
