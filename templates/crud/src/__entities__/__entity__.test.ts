import { describe, expect, it } from 'vitest';
import { tidy__Entity__ } from './__entity__.ts';

describe('tidy__Entity__', () => {
  it('should trim the name and make inner runs of spaces one when a person typed them', () => {
    expect(tidy__Entity__({ name: '  North   yard ', description: ' By the gate ' })).toEqual({
      name: 'North yard',
      description: 'By the gate',
    });
  });

  it('should keep what was not sent and turn a blank description into null when the fields are partial', () => {
    expect(tidy__Entity__({ description: '   ' })).toEqual({ description: null });
    expect(tidy__Entity__({ description: null })).toEqual({ description: null });
    expect(tidy__Entity__({})).toEqual({});
  });
});
