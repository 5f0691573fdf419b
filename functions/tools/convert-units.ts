// An example Lambda tool (infra/tools.ts, DEFAULT_TOOLS): converts a quantity between units of length, mass or
// temperature. The chat function invokes it with `{ tool, input, owner }` (functions/chat/tools/lambda.ts); what it
// returns is the tool's output, and an error it throws is a failed tool call the model reads.

/** Factors to the base unit of each kind: metres, kilograms. */
const LINEAR: Record<string, { kind: 'length' | 'mass'; factor: number }> = {
  mm: { kind: 'length', factor: 0.001 }, cm: { kind: 'length', factor: 0.01 }, m: { kind: 'length', factor: 1 }, km: { kind: 'length', factor: 1000 },
  in: { kind: 'length', factor: 0.0254 }, ft: { kind: 'length', factor: 0.3048 }, yd: { kind: 'length', factor: 0.9144 }, mi: { kind: 'length', factor: 1609.344 },
  g: { kind: 'mass', factor: 0.001 }, kg: { kind: 'mass', factor: 1 }, oz: { kind: 'mass', factor: 0.028349523125 }, lb: { kind: 'mass', factor: 0.45359237 },
};

const TO_KELVIN: Record<string, (value: number) => number> = { C: (c) => c + 273.15, F: (f) => ((f - 32) * 5) / 9 + 273.15, K: (k) => k };
const FROM_KELVIN: Record<string, (kelvin: number) => number> = { C: (k) => k - 273.15, F: (k) => ((k - 273.15) * 9) / 5 + 32, K: (k) => k };

export const UNITS = [...Object.keys(LINEAR), ...Object.keys(TO_KELVIN)];

export interface ConvertEvent {
  tool?: string;
  input: { value: number; from: string; to: string };
  owner?: string;
}

/** Rounded to 10 significant digits, so 1 in is 0.0254 m and not 0.025400000000000002. */
const round = (value: number): number => Number(value.toPrecision(10));

export function convert(value: number, from: string, to: string): number {
  const linearFrom = LINEAR[from];
  const linearTo = LINEAR[to];
  if (linearFrom && linearTo) {
    if (linearFrom.kind !== linearTo.kind) throw new Error(`cannot convert ${linearFrom.kind} (${from}) to ${linearTo.kind} (${to})`);
    return round((value * linearFrom.factor) / linearTo.factor);
  }
  const toKelvin = TO_KELVIN[from];
  const fromKelvin = FROM_KELVIN[to];
  if (toKelvin && fromKelvin) {
    const kelvin = toKelvin(value);
    if (kelvin < 0) throw new Error(`${value} ${from} is below absolute zero`);
    return round(fromKelvin(kelvin));
  }
  const unknown = [from, to].filter((unit) => !UNITS.includes(unit));
  if (unknown.length > 0) throw new Error(`unknown unit ${unknown.join(' and ')}; the units are ${UNITS.join(', ')}`);
  throw new Error(`cannot convert ${from} to ${to}: one is a temperature and the other is not`);
}

export function handler(event: ConvertEvent): Promise<{ value: number; unit: string }> {
  const { value, from, to } = event.input;
  return Promise.resolve({ value: convert(value, from, to), unit: to });
}
