/**
 * Bookkeeping for on/off writes to one thing (a like, a follow) that go out one after another (a mutation scope)
 * while each click already shows on screen. What the screen ends on is decided when the last one comes back: the
 * server's answer to the last, or, when it failed, the last state the server confirmed (its answer to an earlier
 * one, or what was there before the first click).
 */
export class Toggles<State> {
  private readonly chains = new Map<string, { pending: number; confirmed: State }>();

  /** A click on `key`; `current` is what the screen showed before it. */
  started(key: string, current: State): void {
    const chain = this.chains.get(key);
    if (chain) {
      chain.pending += 1;
    } else {
      this.chains.set(key, { pending: 1, confirmed: current });
    }
  }

  /** A write that answered: the state to show now if it was the last one out, else undefined. */
  succeeded(key: string, answer: State): State | undefined {
    const chain = this.chains.get(key);
    if (chain) {
      chain.confirmed = answer;
    }
    return this.finished(key);
  }

  /** A write that failed: the state to go back to if it was the last one out, else undefined. */
  failed(key: string): State | undefined {
    return this.finished(key);
  }

  private finished(key: string): State | undefined {
    const chain = this.chains.get(key);
    if (!chain) {
      return undefined;
    }
    chain.pending -= 1;
    if (chain.pending > 0) {
      return undefined;
    }
    this.chains.delete(key);
    return chain.confirmed;
  }
}
