import { describe, expect, it } from 'vitest';
import { odataGuid, odataKeyPredicate, odataStringLiteral } from './literals.ts';

describe('odata literals and keys', () => {
  it('should double a quote inside a string literal', () => {
    expect(odataStringLiteral("O'Brien & Sons")).toBe("'O''Brien & Sons'");
  });

  it('should quote a string key and write an integer key bare', () => {
    expect(odataKeyPredicate('1000042', 'v2')).toBe("'1000042'");
    expect(odataKeyPredicate(42, 'v4')).toBe('42');
  });

  it("should write a GUID key bare in v4 and as guid'…' in v2", () => {
    const id = odataGuid('5D3E0C1A-0B5E-4B7A-9F1E-2A3B4C5D6E7F');
    expect(odataKeyPredicate(id, 'v4')).toBe('5d3e0c1a-0b5e-4b7a-9f1e-2a3b4c5d6e7f');
    expect(odataKeyPredicate(id, 'v2')).toBe("guid'5d3e0c1a-0b5e-4b7a-9f1e-2a3b4c5d6e7f'");
  });

  it('should write a compound key by property name', () => {
    expect(odataKeyPredicate({ BusinessPartner: '17', AddressID: "7'" }, 'v2')).toBe(
      "BusinessPartner='17',AddressID='7'''",
    );
  });

  it('should refuse a compound key whose name is not an identifier', () => {
    expect(() => odataKeyPredicate({ 'a)/b': '1' }, 'v4')).toThrow(TypeError);
    expect(() => odataKeyPredicate({}, 'v4')).toThrow(TypeError);
  });

  it('should refuse a GUID that is not one, and a key number that is not a safe integer', () => {
    expect(() => odataGuid('not-a-guid')).toThrow(TypeError);
    expect(() => odataKeyPredicate({ guid: "x') or 1 eq 1 or ('" }, 'v4')).toThrow(TypeError);
    expect(() => odataKeyPredicate(1.5, 'v4')).toThrow(TypeError);
  });
});
