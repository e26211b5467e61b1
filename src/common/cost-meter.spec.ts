import { type CostMeter, noteStoreRoundTrip, noteStoreRoundTripStart, runMetered } from './cost-meter.js';

describe('cost meter', () => {
  it('should count calls that went out together as one wait, and calls one after the other each', async () => {
    const meter: CostMeter = { storeCalls: 0, storeMs: 0 };
    const call = async () => {
      noteStoreRoundTripStart();
      await new Promise((resolve) => setTimeout(resolve, 5));
      noteStoreRoundTrip(5);
    };

    await runMetered(meter, async () => {
      await Promise.all([call(), call(), call()]);
      await call();
    });

    expect(meter).toMatchObject({ storeCalls: 4, storeWaves: 2, storeInFlight: 0 });
  });
});
