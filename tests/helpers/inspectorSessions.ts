import inspector from "node:inspector";

/**
 * Closes, after each test file, the inspector sessions its code opened. Pulumi's closure serializer
 * (@pulumi/pulumi runtime/closure/v8Hooks, used for every dynamic provider) connects a session with
 * the debugger enabled and never disconnects it: fine for one `pulumi up` process, but jest gives
 * each test file (and each isolateModules registry) a fresh copy of the module, so the sessions
 * pile up in the worker, each one tracking every script compiled after it. Node tears them down at
 * exit, which took longer than jest's 500 ms grace period and got the worker force-exited.
 */
const opened = new Set<inspector.Session>();
// eslint-disable-next-line @typescript-eslint/unbound-method -- kept to be called with `.call(this)` and restored
const connect = inspector.Session.prototype.connect;

inspector.Session.prototype.connect = function (this: inspector.Session): void {
  opened.add(this);
  connect.call(this);
};

afterAll(() => {
  // The core module is shared by every test file the worker runs: leave it as it was found.
  inspector.Session.prototype.connect = connect;
  for (const session of opened) session.disconnect();
  opened.clear();
});
