/**
 * Preloaded into Jest's worker processes (globalSetup adds it to the execArgv they are forked with).
 *
 * At the end of a run Jest asks each worker to exit and kills it after 500 ms, warning "A worker process has
 * failed to exit gracefully". Measured here (2026-12-03): both workers held only their stdio handles, their
 * 'exit' event fired 1-13 ms after the request, and then Node's own teardown of a heap of 0.7-1.4 GB (the
 * suites' modules, OCR and font libraries) kept them alive until the kill, 780-800 ms later. Calling
 * process.exit inside an 'exit' listener ends the process at once with the same code, without that
 * teardown. Work the tests do is over by then: 'exit' fires after the worker's last message was sent.
 *
 * Only in a Jest worker itself: a process a test forks inherits the execArgv too, and keeps Node's ordinary exit.
 */
'use strict';

/** jest-worker 30 forks build/processChild.js; older versions build/workers/processChild.js. */
function isJestWorkerProcess(scriptPath, env) {
  return (
    env.JEST_WORKER_ID !== undefined &&
    /[\\/]jest-worker[\\/]build[\\/](workers[\\/])?processChild\.js$/.test(scriptPath ?? '')
  );
}

module.exports = { isJestWorkerProcess };

if (isJestWorkerProcess(process.argv[1], process.env)) {
  process.on('exit', (code) => {
    process.exit(code);
  });
}
