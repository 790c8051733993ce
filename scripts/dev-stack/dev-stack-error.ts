/** A start-up problem with a sentence that says what to do; printed without a stack trace. */
export class DevStackError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DevStackError';
  }
}
