// Call forms, their receivers and callers.
import { log } from "./log";

setup();

function run(store, items) {
  log("start");
  store.save(items);
  this.flush();
  a.b.c.d();
  maybe?.call();
  chain?.x.y?.();
  items.filter(Boolean).map(String);
  new Store();
  new lib.Store(1);
  new Plain;
  fmt`total ${count(items)}`;
  run(store, []);
  return items.length;
}

class Base {
  constructor() {}
  init() {}
}

class Child extends Base {
  ready = check();
  constructor() {
    super();
    super.init();
    this.helper();
  }
  helper() {
    [1].forEach((x) => {
      this.use(x);
      process(x);
    });
  }
  static {
    Child.boot();
  }
}

const handler = async () => {
  await fetchAll().then(done);
};
