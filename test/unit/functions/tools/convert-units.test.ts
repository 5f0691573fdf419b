import { describe, expect, it } from '@jest/globals';
import { convert, handler } from '../../../../functions/tools/convert-units.ts';

describe('convert_units', () => {
  it.each([
    [5, 'km', 'mi', 3.106855961],
    [1, 'in', 'cm', 2.54],
    [1, 'lb', 'g', 453.59237],
    [100, 'C', 'F', 212],
    [32, 'F', 'K', 273.15],
    [0, 'K', 'C', -273.15],
  ])('converts %d %s to %s', (value, from, to, expected) => {
    expect(convert(value, from, to)).toBe(expected);
  });

  it.each([
    [1, 'km', 'kg', 'cannot convert length (km) to mass (kg)'],
    [1, 'C', 'm', 'cannot convert C to m: one is a temperature and the other is not'],
    [1, 'parsec', 'm', 'unknown unit parsec; the units are'],
    [-300, 'C', 'K', '-300 C is below absolute zero'],
  ])('refuses %d %s to %s, saying why', (value, from, to, message) => {
    expect(() => convert(value, from, to)).toThrow(message);
  });

  it('answers the invocation with the value and its unit', async () => {
    await expect(handler({ tool: 'convert_units', input: { value: 2, from: 'kg', to: 'lb' }, owner: 'sub' })).resolves.toEqual({ value: 4.409245244, unit: 'lb' });
  });
});
