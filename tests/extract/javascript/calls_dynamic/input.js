// Calls through values: no definition can be named for them.
function dispatch(table, key, cb, { onDone }) {
  table[key]();
  this.handlers[key](1);
  make()();
  (0, util.format)("x");
  cb(key);
  onDone();
  const local = pick(table);
  local();
  for (const fn of table.list) fn();
  try {
    work();
  } catch (err) {
    err();
  }
  import("./lazy").then(use);
  new (factory())();
  (function () {
    insideIife();
  })();
  (() => arrowIife())();
}

function construct(Ctor) {
  return new Ctor();
}

function notDynamic() {
  const inner = () => 1;
  inner();
  dispatch();
}
