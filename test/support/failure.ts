// The error a promise rejects with; a test that expected a failure fails plainly when the call succeeds.
export async function failureOf(attempt: Promise<unknown>): Promise<unknown> {
  try {
    await attempt;
  } catch (error) {
    return error;
  }
  throw new Error('the call succeeded, a failure was expected');
}
