// `npm run bench` is the load-test harness (issue "Load tests and the benchmark report"); until it lands,
// say so plainly instead of pretending to measure anything.
process.stderr.write(
  'npm run bench: the load tests are not written yet (see the load-tests issue); nothing was measured.\n',
);
process.exit(1);
